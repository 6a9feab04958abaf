import type { Readable, Writable } from 'node:stream';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Streams a CLI command talks to; tests pass their own. */
export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

/** A `cirasa` sub-command: parses its own argv (after the command name) and returns an exit code. */
export interface CliCommand {
  summary: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

/** Exit code for bad usage (unknown flag, missing argument), as sysexits' EX_USAGE. */
export const EXIT_USAGE = 64;
/** Exit code for bad input data (a file that is not FITS...). */
export const EXIT_DATAERR = 65;

/**
 * `parseArgs` for a sub-command: a bad flag prints `cirasa COMMAND: <why>` and the help to stderr and
 * gives null (the caller exits with EXIT_USAGE).
 */
export function parseFlags<O extends NonNullable<ParseArgsConfig['options']>>(command: string, help: string, io: CliIo, argv: string[], options: O, allowPositionals = true) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    io.stderr.write(`cirasa ${command}: ${err instanceof Error ? err.message : String(err)}\n${help}`);
    return null;
  }
}
