import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AppError } from '../shared/contract/errors';
import { EXIT_DATAERR, type CliCommand, type CliIo } from './cli/io';

/** Every sub-command, loaded lazily so `cirasa info` does not pay for the server's imports. */
const COMMANDS: Record<string, () => Promise<CliCommand>> = {
  info: async () => (await import('./cli/infoCommand')).infoCommand,
  xy2sky: async () => (await import('./cli/coordCommands')).xy2skyCommand,
  sky2xy: async () => (await import('./cli/coordCommands')).sky2xyCommand,
  simulate: async () => (await import('./cli/simulateCommand')).simulateCommand,
  find: async () => (await import('./cli/findCommand')).findCommand,
  convert: async () => (await import('./cli/convertCommand')).convertCommand,
  web: async () => (await import('./cli/webCommand')).webCommand,
  job: async () => (await import('./cli/jobCommand')).jobCommand,
  serve: async () => (await import('./cli/serveCommand')).serveCommand,
};

async function usage(io: CliIo): Promise<void> {
  const lines = ['Usage: cirasa <command> [options]', '', 'Commands:'];
  for (const [name, load] of Object.entries(COMMANDS)) {
    const summary = await load().then((c) => c.summary).catch(() => '(unavailable)');
    lines.push(`  ${name.padEnd(10)} ${summary}`);
  }
  lines.push('', 'Run `cirasa <command> --help` for the options of a command.');
  io.stdout.write(lines.join('\n') + '\n');
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    await usage(io);
    return name ? 0 : 64;
  }
  const load = COMMANDS[name];
  if (!load) {
    io.stderr.write(`cirasa: unknown command '${name}'. Run 'cirasa --help' for the list.\n`);
    return 64;
  }
  try {
    return await (await load()).run(rest, io);
  } catch (err) {
    if (err instanceof AppError) {
      io.stderr.write(`cirasa ${name}: ${err.message} [${err.code}]\n`);
      return EXIT_DATAERR;
    }
    io.stderr.write(`cirasa ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

/** Entry used by bin/cirasa.js and by `node dist/main/cli.js`. */
export async function main(): Promise<void> {
  process.exitCode = await runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
}

let entry = '';
try {
  entry = process.argv[1] ? realpathSync(process.argv[1]) : '';
} catch {
  // argv[1] is not a file (node -e, REPL): not the entry.
}
if (entry === fileURLToPath(import.meta.url)) void main();
