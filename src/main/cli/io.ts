import type { Readable, Writable } from 'node:stream';

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
