import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers/paths';
import { runCli } from '../../../src/main/cli';
import type { JobRecord } from '../../../src/main/jobs/jobsRepo';
import type { JobService } from '../../../src/main/jobs/jobService';
import { isTerminal } from '../../../src/main/jobs/types';

/** `cirasa` from the sources (tsx), so the builtin app runs this checkout without a build. */
export const CIRASA_FROM_SOURCES = [join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), join(REPO_ROOT, 'src', 'main', 'cli.ts')];

export async function runCirasa(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (b: Buffer) => out.push(b));
  stderr.on('data', (b: Buffer) => err.push(b));
  const code = await runCli(args, { stdin: new PassThrough(), stdout, stderr });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

/** Let the service's own monitor loop move a job to a terminal state. */
export async function waitTerminal(service: JobService, id: string, timeoutMs = 60_000): Promise<JobRecord> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const j = service.get(id);
    if (isTerminal(j.state)) return j;
    if (Date.now() > until) throw new Error(`job ${id} still ${j.state}: ${j.messages.join(' | ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
