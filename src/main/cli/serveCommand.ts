/** `cirasa serve`: a caesar-rest v1.0 compatible service on our job backends. */
import { parseArgs } from 'node:util';
import { loadTokens } from '../caesar-rest/auth';
import type { CliCommand } from './io';
import { EXIT_USAGE } from './io';

const HELP = `Usage: cirasa serve [options]

Serve the caesar-rest v1.0 API at /caesar/api/v1.0 (and /health); JSON logs on stderr.

Options:
  --host HOST            address to listen on                        [127.0.0.1]
  --port N               port (0 = any free port)                    [8080]
  --auth none|token      none: every client shares the 'anonymous' namespace;
                         token: Bearer tokens from --tokens            [none]
  --tokens FILE          JSON {"<token>": "<user or e-mail>"} or lines '<token> <user>'
  --datadir DIR          uploaded files, one folder per user         [./cirasa-serve/data]
  --jobdir DIR           job database, job directories, tarballs     [./cirasa-serve/jobs]
  --profile FILE         backend profile JSON (local, container, slurm-rest, slurm-ssh)  [local]
  --max-upload-mb N      largest upload in MiB (413 above)           [1000]
  -h, --help             this help
`;

export const serveCommand: CliCommand = {
  summary: 'serve a caesar-rest v1.0 compatible API on the job backends',
  async run(argv, io) {
    let values;
    try {
      ({ values } = parseArgs({
        args: argv,
        options: {
          host: { type: 'string', default: '127.0.0.1' },
          port: { type: 'string', default: '8080' },
          auth: { type: 'string', default: 'none' },
          tokens: { type: 'string' },
          datadir: { type: 'string', default: 'cirasa-serve/data' },
          jobdir: { type: 'string', default: 'cirasa-serve/jobs' },
          profile: { type: 'string' },
          'max-upload-mb': { type: 'string', default: '1000' },
          help: { type: 'boolean', short: 'h' },
        },
      }));
    } catch (err) {
      io.stderr.write(`cirasa serve: ${(err as Error).message}\n${HELP}`);
      return EXIT_USAGE;
    }
    if (values.help) {
      io.stdout.write(HELP);
      return 0;
    }
    const port = Number(values.port);
    const maxMb = Number(values['max-upload-mb']);
    const usage = (msg: string) => {
      io.stderr.write(`cirasa serve: ${msg}\n`);
      return EXIT_USAGE;
    };
    if (!Number.isInteger(port) || port < 0 || port > 65535) return usage(`--port must be 0–65535, got ${values.port}`);
    if (!(maxMb > 0)) return usage(`--max-upload-mb must be positive, got ${values['max-upload-mb']}`);
    if (values.auth !== 'none' && values.auth !== 'token') return usage(`--auth must be none or token, got ${values.auth}`);
    if (values.auth === 'token' && !values.tokens) return usage('--auth token needs --tokens FILE');
    const auth = values.auth === 'token' ? { mode: 'token' as const, tokens: await loadTokens(values.tokens!) } : { mode: 'none' as const };
    const { loadProfile } = await import('../jobs/profiles');
    const { serve } = await import('../caesar-rest/service');
    const running = await serve({
      host: values.host!, port, auth, dataDir: values.datadir!, jobDir: values.jobdir!, maxUploadBytes: Math.round(maxMb * 1024 * 1024),
      ...(values.profile ? { profile: await loadProfile(values.profile) } : {}),
    });
    io.stdout.write(`caesar-rest API at ${running.url}/caesar/api/v1.0 (auth ${auth.mode})\n`);
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        void running.close().then(resolve);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
