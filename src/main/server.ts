import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createServices } from './app/createServices';
import { packageRoot } from './app/paths';
import { bindContract } from './transport/bindContract';
import { generateToken, isLoopbackHost, startHttpServer, type RunningHttpServer } from './transport/http';
import type { CliIo } from './cli/io';

export const SERVER_USAGE = `Usage: cirasa web [options]   (also: npm run web -- [options])

Serve the CIRASA app to a browser over HTTP (browser mode), with the same features as the desktop app.

Options:
  --host HOST        interface to bind (default 127.0.0.1; anything else requires a token)
  --port N           port (default 8321; 0 picks a free one)
  --data-dir DIR     data folder (default: per-user folder, or $CIRASA_DATA_DIR)
  --token TOKEN      access token (default: a new random token each start)
  --no-auth          no token (loopback only)
  -h, --help         this help
`;

export interface StartedServer {
  http: RunningHttpServer;
  stop(): Promise<void>;
}

/** Start the services and the HTTP binding; prints the login URL. Used by `cirasa web` and `npm run web`. */
export async function runServer(argv: string[], io: CliIo): Promise<StartedServer | number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8321' },
      'data-dir': { type: 'string' },
      token: { type: 'string' },
      'no-auth': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout.write(SERVER_USAGE);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.stderr.write(`cirasa web: --port must be an integer 0..65535, got '${values.port}'\n`);
    return 64;
  }
  if (values['no-auth'] && !isLoopbackHost(values.host)) {
    io.stderr.write('cirasa web: --no-auth is only allowed on a loopback address (127.0.0.1)\n');
    return 64;
  }
  const services = await createServices({ mode: 'web', ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}) });
  const dispatch = bindContract(services.handlers);
  const http = await startHttpServer({
    host: values.host,
    port,
    token: values['no-auth'] ? null : (values.token ?? generateToken()),
    dispatch,
    events: services.events,
    tiles: services.images,
    overlays: services.catalogues ?? undefined,
    staticDir: join(packageRoot(), 'dist', 'renderer'),
    uploadDir: services.paths.uploadDir,
  });
  io.stdout.write(`CIRASA web: ${http.loginUrl}\n`);
  io.stdout.write(`(data folder: ${services.paths.dataDir}; stop with Ctrl+C)\n`);
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await http.close();
      await services.dispose();
    })());
  return { http, stop };
}

async function main(): Promise<void> {
  const io: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
  const started = await runServer(process.argv.slice(2), io);
  if (typeof started === 'number') {
    process.exitCode = started;
    return;
  }
  const shutdown = (): void => {
    void started.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

let entry = '';
try {
  entry = process.argv[1] ? realpathSync(process.argv[1]) : '';
} catch {
  // not started as a script
}
if (entry === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`cirasa web: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
