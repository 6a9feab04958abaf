/** `cirasa serve`: a caesar-rest v1.0 compatible service on our job backends (and, with --web, the browser app). */
import { join } from 'node:path';
import { loadTokens, type AuthConfig } from '../caesar-rest/auth';
import type { LogEntry, Logger } from '../caesar-rest/server';
import type { ServeConfig } from '../caesar-rest/serveConfig';
import { EXIT_USAGE, parseFlags, type CliCommand } from './io';

const HELP = `Usage: cirasa serve [options]

Serve the caesar-rest v1.0 API at /caesar/api/v1.0 (and /health); JSON logs on stderr.
Options come from --config FILE (JSON, or TOML-ish 'key = value' lines with an [oidc] section; keys
host, port, auth, tokens, datadir, jobdir, profile, maxUploadMb, logLevel, web, monitorPeriodMs,
oidc.{introspectionUrl, clientId, clientSecretFile}); flags override the file.

Options:
  --config FILE          options file (relative paths in it are relative to it)
  --host HOST            address to listen on                        [127.0.0.1]
  --port N               port (0 = any free port)                    [8080]
  --auth none|token|oidc none: every client shares the 'anonymous' namespace;
                         token: Bearer tokens from --tokens;
                         oidc: tokens checked by the issuer's RFC 7662 introspection  [none]
  --tokens FILE          JSON {"<token>": "<user or e-mail>"} or lines '<token> <user>'
  --oidc-introspection-url URL   the issuer's introspection endpoint (--auth oidc)
  --oidc-client-id ID            client id for introspection calls
  --oidc-client-secret-file FILE file holding that client's secret
  --datadir DIR          uploaded files, one folder per user         [./cirasa-serve/data]
  --jobdir DIR           job database, job directories, tarballs     [./cirasa-serve/jobs]
  --profile FILE         backend profile JSON (local, container, slurm-rest, slurm-ssh)  [local]
  --max-upload-mb N      largest upload in MiB (413 above)           [1000]
  --log-level L          debug|info|error|off                        [info]
  --web                  also serve the app's browser mode on the same port (prints its login URL)
  --web-data-dir DIR     the app's data folder with --web            [per-user folder]
  -h, --help             this help
`;

const LEVELS = { debug: 0, info: 1, error: 2, off: 3 } as const;

function stderrLogger(level: keyof typeof LEVELS): Logger {
  return (e: LogEntry) => {
    const l = (e.level as keyof typeof LEVELS | undefined) ?? 'info';
    if ((LEVELS[l] ?? 1) >= LEVELS[level] && level !== 'off') process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level: 'info', ...e }) + '\n');
  };
}

export const serveCommand: CliCommand = {
  summary: 'serve a caesar-rest v1.0 compatible API on the job backends',
  async run(argv, io) {
    // no defaults here: a flag that is absent leaves the config file's value
    const parsed = parseFlags('serve', HELP, io, argv, {
      config: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      auth: { type: 'string' },
      tokens: { type: 'string' },
      'oidc-introspection-url': { type: 'string' },
      'oidc-client-id': { type: 'string' },
      'oidc-client-secret-file': { type: 'string' },
      datadir: { type: 'string' },
      jobdir: { type: 'string' },
      profile: { type: 'string' },
      'max-upload-mb': { type: 'string' },
      'log-level': { type: 'string' },
      web: { type: 'boolean' },
      'web-data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    }, false);
    if (!parsed) return EXIT_USAGE;
    const values = parsed.values;
    if (values.help) {
      io.stdout.write(HELP);
      return 0;
    }
    const usage = (msg: string) => {
      io.stderr.write(`cirasa serve: ${msg}\n`);
      return EXIT_USAGE;
    };
    let file: ServeConfig = {};
    if (values.config) {
      const { loadServeConfig } = await import('../caesar-rest/serveConfig');
      try {
        file = await loadServeConfig(values.config);
      } catch (err) {
        return usage((err as Error).message);
      }
    }
    const port = values.port !== undefined ? Number(values.port) : (file.port ?? 8080);
    const maxMb = values['max-upload-mb'] !== undefined ? Number(values['max-upload-mb']) : (file.maxUploadMb ?? 1000);
    const mode = values.auth ?? file.auth ?? 'none';
    const logLevel = values['log-level'] ?? file.logLevel ?? 'info';
    if (!Number.isInteger(port) || port < 0 || port > 65535) return usage(`--port must be 0–65535, got ${values.port ?? file.port}`);
    if (!(maxMb > 0)) return usage(`--max-upload-mb must be positive, got ${values['max-upload-mb']}`);
    if (mode !== 'none' && mode !== 'token' && mode !== 'oidc') return usage(`--auth must be none, token or oidc, got ${mode}`);
    if (!(logLevel in LEVELS)) return usage(`--log-level must be debug, info, error or off, got ${logLevel}`);
    const tokensFile = values.tokens ?? file.tokens;
    const oidc = {
      introspectionUrl: values['oidc-introspection-url'] ?? file.oidc?.introspectionUrl,
      clientId: values['oidc-client-id'] ?? file.oidc?.clientId,
      clientSecretFile: values['oidc-client-secret-file'] ?? file.oidc?.clientSecretFile,
    };
    let auth: AuthConfig = { mode: 'none' };
    if (mode === 'token') {
      if (!tokensFile) return usage('--auth token needs --tokens FILE');
      auth = { mode: 'token', tokens: await loadTokens(tokensFile) };
    } else if (mode === 'oidc') {
      if (!oidc.introspectionUrl || !oidc.clientId || !oidc.clientSecretFile) {
        return usage('--auth oidc needs --oidc-introspection-url, --oidc-client-id and --oidc-client-secret-file (or an [oidc] section in --config)');
      }
      const { readFile } = await import('node:fs/promises');
      const { TokenIntrospector } = await import('../caesar-rest/oidc');
      const secret = (await readFile(oidc.clientSecretFile, 'utf8')).trim();
      auth = { mode: 'oidc', introspector: new TokenIntrospector({ introspectionUrl: oidc.introspectionUrl, clientId: oidc.clientId, clientSecret: secret }) };
    }
    const profilePath = values.profile ?? file.profile;
    const { loadProfile } = await import('../jobs/profiles');
    const options = {
      host: values.host ?? file.host ?? '127.0.0.1', port, auth,
      dataDir: values.datadir ?? file.datadir ?? 'cirasa-serve/data', jobDir: values.jobdir ?? file.jobdir ?? 'cirasa-serve/jobs',
      maxUploadBytes: Math.round(maxMb * 1024 * 1024), log: stderrLogger(logLevel as keyof typeof LEVELS),
      ...(file.monitorPeriodMs ? { monitorPeriodMs: file.monitorPeriodMs } : {}),
      ...(profilePath ? { profile: await loadProfile(profilePath) } : {}),
    };
    let close: () => Promise<void>;
    if (values.web ?? file.web) {
      const { serveWithWeb } = await import('../caesar-rest/webServe');
      const { generateToken, isLoopbackHost } = await import('../transport/http');
      const { packageRoot } = await import('../app/paths');
      const running = await serveWithWeb({
        ...options, webToken: generateToken(), staticDir: join(packageRoot(), 'dist', 'renderer'),
        ...(values['web-data-dir'] ? { webDataDir: values['web-data-dir'] } : {}),
      });
      if (!isLoopbackHost(options.host)) io.stderr.write('cirasa serve: the app is token-protected; share its login URL only with trusted users\n');
      io.stdout.write(`caesar-rest API at ${running.url}/caesar/api/v1.0 (auth ${auth.mode})\nCIRASA web: ${running.loginUrl}\n`);
      close = () => running.close();
    } else {
      const { serve } = await import('../caesar-rest/service');
      const running = await serve(options);
      io.stdout.write(`caesar-rest API at ${running.url}/caesar/api/v1.0 (auth ${auth.mode})\n`);
      close = () => running.close();
    }
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        void close().then(resolve);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
