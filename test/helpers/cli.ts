import { PassThrough } from 'node:stream';
import { runCli } from '../../src/main/cli';

/** Run `cirasa ARGS` in-process (no build, no child process) and collect its exit code and output. */
export async function runCirasaInProcess(args: string[], stdinText = ''): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  stdin.end(stdinText);
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (b: Buffer) => out.push(b));
  stderr.on('data', (b: Buffer) => err.push(b));
  const code = await runCli(args, { stdin, stdout, stderr });
  return { code, out: Buffer.concat(out).toString('utf8'), err: Buffer.concat(err).toString('utf8') };
}
