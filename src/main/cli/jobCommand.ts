/**
 * `cirasa job submit|status|logs|cancel|fetch|list`: the job service from the command line, on the store in
 * the data directory (the app's own jobs are listed too). The CLI is not a daemon: `status`, `list` and
 * `fetch` run one monitor pass first (importing the catalogue of a job that ended), `submit --wait` keeps
 * monitoring until the jobs end.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AppRegistry, loadContainerApp } from '../apps';
import { defaultDataDir } from '../app/paths';
import type { JobRecord } from '../jobs/jobsRepo';
import { SecretStore } from '../jobs/secretStore';
import { JobService } from '../jobs/jobService';
import { describeProfile, loadProfile } from '../jobs/profiles';
import { isTerminal } from '../jobs/types';
import { openStore } from '../store';
import { EXIT_USAGE, parseFlags, type CliCommand, type CliIo } from './io';

const HELP = `Usage: cirasa job <action> [options]

Actions:
  submit --profile PROFILE.json --app APP [--option NAME=VALUE ...] IMAGE...
                         one job per IMAGE with the same settings; prints each job id
  status ID              state, times, exit code, messages (--json: the whole record)
  logs ID                stdout and stderr so far (--tail BYTES, default 65536)
  cancel ID              cancel a job (CANCELED)
  fetch ID               copy the job's files to its local output folder and list them
  list                   every job, newest first (--json for records)

Options:
  --data-dir DIR         data folder with cirasa.sqlite and jobs/     [${defaultDataDir()}]
  --profile FILE         backend profile JSON: {"type":"local"|"container"|"slurm-rest"|"slurm-ssh", ...}
                         (secrets by file path: keyFile, tokenFile, passphraseFile)
  --app APP              finder app: builtin, sextractor, caesar, or an --app-file id
  --app-file FILE        register a container app described by JSON (image, command, options, outputs)
  --option NAME=VALUE    an app option (repeatable); see --list-options
  --list-options         print the app's options (type, default, range, help) and exit
  --tag TAG              label stored with the job
  --parts N              distributed run (Slurm profiles, builtin app): N parts as a job
                         array, then a merge job after them                 [1]
  --timeout-minutes N    end the job TIMED-OUT after N minutes     [profile timeMinutes, else none]
  --wait                 after submit, monitor until every job ends; exit 0 only if all succeeded
  --poll-ms N            monitor period for --wait                 [1000]
  --json                 machine-readable output
  -h, --help             this text
`;

class UsageError extends Error {}

function summary(j: JobRecord): string {
  const lines = [
    `${j.id}  ${j.state}${j.nativeState ? ` (${j.nativeState})` : ''}`,
    `  app ${j.app} on ${describeProfile(j.profile)}${j.tag ? `, tag ${j.tag}` : ''}`,
    `  inputs ${j.inputs.join(' ')}`,
    `  submitted ${j.submittedAt}${j.startedAt ? `, started ${j.startedAt}` : ''}${j.finishedAt ? `, finished ${j.finishedAt}` : ''}`,
  ];
  if (j.exitCode !== undefined) lines.push(`  exit code ${j.exitCode}`);
  if (j.catalogueId !== undefined) lines.push(`  catalogue ${j.catalogueId}`);
  lines.push(`  output ${j.outputDir}`, ...j.messages.map((m) => `  - ${m}`));
  return lines.join('\n') + '\n';
}

function parseOptionPairs(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq < 1) throw new UsageError(`--option expects NAME=VALUE, got '${p}'`);
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}

export const jobCommand: CliCommand = {
  summary: 'submit finder jobs to a backend profile; status, logs, cancel, fetch, list',
  async run(argv: string[], io: CliIo): Promise<number> {
    const parsed = parseFlags('job', HELP, io, argv, {
      'data-dir': { type: 'string' },
      profile: { type: 'string' },
      app: { type: 'string' },
      'app-file': { type: 'string', multiple: true },
      option: { type: 'string', multiple: true },
      'list-options': { type: 'boolean', default: false },
      tag: { type: 'string' },
      parts: { type: 'string' },
      'timeout-minutes': { type: 'string' },
      wait: { type: 'boolean', default: false },
      'poll-ms': { type: 'string' },
      tail: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    });
    if (!parsed) return EXIT_USAGE;
    const values: Record<string, string | boolean | string[] | undefined> = parsed.values;
    const positionals = parsed.positionals;
    const [action, ...rest] = positionals;
    if (values.help || !action) {
      (values.help ? io.stdout : io.stderr).write(HELP);
      return values.help ? 0 : EXIT_USAGE;
    }
    const apps = new AppRegistry();
    for (const f of (values['app-file'] as string[] | undefined) ?? []) apps.register(await loadContainerApp(f));
    if (values['list-options']) {
      if (typeof values.app !== 'string') {
        io.stderr.write('cirasa job: --list-options needs --app\n');
        return EXIT_USAGE;
      }
      const app = apps.get(values.app);
      for (const [name, s] of Object.entries(app.optionsSchema.properties)) {
        const range = [s.minimum !== undefined ? `≥${s.minimum}` : s.exclusiveMinimum !== undefined ? `>${s.exclusiveMinimum}` : '', s.maximum !== undefined ? `≤${s.maximum}` : '', s.enum ? s.enum.join('|') : ''].filter(Boolean).join(' ');
        io.stdout.write(`${name.padEnd(24)} ${(s.type ?? '').padEnd(8)} [${JSON.stringify(s.default ?? null)}]${range ? ` ${range}` : ''}${s.description ? `  ${s.description}` : ''}\n`);
      }
      return 0;
    }
    const dataDir = (values['data-dir'] as string | undefined) ?? defaultDataDir();
    await mkdir(dataDir, { recursive: true });
    const store = openStore(join(dataDir, 'cirasa.sqlite'));
    const pollMs = values['poll-ms'] !== undefined ? Number(values['poll-ms']) : 1000;
    // profiles made in the app's editor keep their secrets in <dataDir>/secrets (plain Node: the 0600 files)
    const service = new JobService({ store, apps, dataDir, autoStart: false, monitorPeriodMs: pollMs, secrets: new SecretStore(join(dataDir, 'secrets')) });
    const print = (j: JobRecord) => io.stdout.write(values.json ? `${JSON.stringify(j)}\n` : summary(j));
    try {
      const one = (): string => {
        if (rest.length !== 1) throw new UsageError(`'${action}' expects one job ID`);
        return rest[0]!;
      };
      switch (action) {
        case 'submit': {
          if (typeof values.profile !== 'string') throw new UsageError('--profile is required');
          if (typeof values.app !== 'string') throw new UsageError('--app is required');
          if (rest.length === 0) throw new UsageError('submit expects at least one IMAGE');
          const profile = await loadProfile(values.profile);
          const options = parseOptionPairs((values.option as string[] | undefined) ?? []);
          const minutes = values['timeout-minutes'] !== undefined ? Number(values['timeout-minutes']) : undefined;
          if (minutes !== undefined && !(minutes > 0)) throw new UsageError(`--timeout-minutes expects a positive number, got '${String(values['timeout-minutes'])}'`);
          const parts = values.parts !== undefined ? Number(values.parts) : undefined;
          if (parts !== undefined && !(Number.isInteger(parts) && parts >= 1)) throw new UsageError(`--parts expects a positive integer, got '${String(values.parts)}'`);
          const ids: string[] = [];
          for (const image of rest) {
            const job = await service.submit({
              app: values.app, options, inputs: [image], profile, ...(parts ? { parts } : {}),
              ...(typeof values.tag === 'string' ? { tag: values.tag } : {}), ...(minutes ? { timeoutMs: minutes * 60_000 } : {}),
            });
            ids.push(job.id);
            io.stdout.write(values.json ? `${JSON.stringify(job)}\n` : `${job.id}\n`);
          }
          if (!values.wait) return 0;
          for (;;) {
            await service.tick();
            const jobs = ids.map((id) => service.get(id));
            if (jobs.every((j) => isTerminal(j.state))) {
              if (!values.json) for (const j of jobs) io.stderr.write(summary(j));
              return jobs.every((j) => j.state === 'SUCCESS') ? 0 : 1;
            }
            await new Promise((r) => setTimeout(r, pollMs));
          }
        }
        case 'status': {
          const id = one();
          service.get(id);
          await service.tick();
          print(service.get(id));
          return 0;
        }
        case 'list': {
          await service.tick();
          const jobs = service.list();
          if (values.json) io.stdout.write(`${JSON.stringify(jobs)}\n`);
          else for (const j of jobs) io.stdout.write(`${j.id}  ${j.state.padEnd(9)} ${j.app.padEnd(10)} ${j.profile.type.padEnd(10)} ${j.submittedAt}  ${j.tag ?? ''}\n`);
          return 0;
        }
        case 'logs': {
          const tail = values.tail !== undefined ? Number(values.tail) : undefined;
          const logs = await service.logs(one(), tail);
          if (values.json) io.stdout.write(`${JSON.stringify(logs)}\n`);
          else io.stdout.write(`--- stdout ---\n${logs.stdout}${logs.stdout.endsWith('\n') || !logs.stdout ? '' : '\n'}--- stderr ---\n${logs.stderr}`);
          return 0;
        }
        case 'cancel':
          print(await service.cancel(one()));
          return 0;
        case 'fetch': {
          const id = one();
          await service.tick();
          const files = await service.fetch(id);
          if (values.json) io.stdout.write(`${JSON.stringify({ job: service.get(id), files })}\n`);
          else io.stdout.write(files.map((f) => `${f}\n`).join(''));
          return 0;
        }
        default:
          throw new UsageError(`unknown action '${action}' (submit, status, logs, cancel, fetch, list)`);
      }
    } catch (err) {
      if (err instanceof UsageError) {
        io.stderr.write(`cirasa job: ${err.message}\n`);
        return EXIT_USAGE;
      }
      throw err;
    } finally {
      await service.dispose();
      store.close();
    }
  },
};
