// Distributed finding on the real one-node Slurm: a job array of parts, then a merge with afterok on it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AppRegistry } from '../../src/main/apps';
import { DistributedBackend } from '../../src/main/jobs/distributed';
import { JobService } from '../../src/main/jobs/jobService';
import { parseProfile } from '../../src/main/jobs/profiles';
import { MappedFiles } from '../../src/main/jobs/remoteFiles';
import { KeyFileTokenSource } from '../../src/main/jobs/slurm-rest/jwt';
import { SlurmRestBackend } from '../../src/main/jobs/slurm-rest/slurmRestBackend';
import { SlurmSshBackend } from '../../src/main/jobs/slurm-ssh/slurmSshBackend';
import type { JobBackend, JobSpec } from '../../src/main/jobs/types';
import { openStore, type Store } from '../../src/main/store';
import { readCatalogue } from '../../src/main/catalogue';
import { CIRASA_FROM_SOURCES, runCirasa, waitTerminal } from '../integration/helpers/jobs';
import { knownJobIds, userWorkdir, waitForJob } from './helpers';

const env = inject('jobsEnv');
let dir: string;
let store: Store;
let oldUmask: number;
const IMAGE = () => join(dir, 'big.fits');
const OPTIONS = { seedSigma: 5 };

beforeAll(async () => {
  oldUmask = process.umask(0); // the parts run as the test user in directories the (root) service creates
  dir = mkdtempSync(join(tmpdir(), 'distributed-'));
  expect((await runCirasa(['simulate', '--size', '4000', '--count', '300', '--seed', '11', '--out', IMAGE()])).code).toBe(0);
  // the reference: one local run with the same options (tile size and every finder option at their defaults)
  const r = await runCirasa(['find', IMAGE(), '--out', join(dir, 'local.json'), '--quiet', '--options', JSON.stringify(OPTIONS)]);
  expect(r.code, r.stderr).toBe(0);
  store = openStore(join(dir, 'cirasa.sqlite'));
}, 120_000);
afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
  process.umask(oldUmask);
});

const common = { partition: 'debug', cpus: 1, memoryMb: 500, timeMinutes: 10, cirasaCommand: CIRASA_FROM_SOURCES };
const profiles = {
  'slurm-rest': () => parseProfile({
    type: 'slurm-rest', baseUrl: env.restUrl, user: env.user, keyFile: env.jwtKeyFile, ...common,
    workRoot: env.scratchDir, pathMappings: [{ remotePrefix: env.scratchDir, localPrefix: env.scratchDir }],
  }),
  'slurm-ssh': () => parseProfile({
    type: 'slurm-ssh', host: env.sshHost, port: env.sshPort, user: env.user, keyFile: join(env.sshDir, 'client_ed25519'),
    knownHostsFile: join(env.sshDir, 'known_hosts'), workRoot: env.sshWorkBase, ...common,
  }),
};

/** What a user compares: every source's position, fluxes and shape, in catalogue order. */
async function rows(path: string): Promise<unknown[]> {
  const cat = await readCatalogue(path, { format: 'json' });
  return cat.sources.map((s) => JSON.parse(JSON.stringify({ ...s, catalogueId: undefined, runId: undefined })));
}

describe('distributed builtin finder: a 4000² image as a background job, a 4-part job array and a merge', () => {
  it.each(['slurm-rest', 'slurm-ssh'] as const)('through %s: SUCCESS and the same catalogue as one local run, row by row', async (kind) => {
    const progress: string[] = [];
    const service = new JobService({
      store, apps: new AppRegistry(), dataDir: join(dir, `data-${kind}`), monitorPeriodMs: 300,
      onEvent: (e) => void (e.job.progress && progress.push(e.job.progress.text)),
    });
    try {
      const job = await service.submit({ app: 'builtin', options: OPTIONS, inputs: [IMAGE()], profile: profiles[kind](), parts: 4 });
      expect(job.nativeId).toMatch(/^\d+\+\d+\+\d+$/); // background map, part array, merge
      expect(job.spec.parts?.arrayTasks).toBe(4);
      const done = await waitTerminal(service, job.id, 240_000);
      expect(done.state, `${done.messages.join('\n')}\n${JSON.stringify(await service.logs(job.id))}`).toBe('SUCCESS');
      const logs = await service.logs(job.id);
      for (const k of [0, 1, 2, 3]) expect(logs.stdout).toContain(`== part ${k} of 4 ==`);
      expect(logs.stdout).toContain('== merge ==');
      expect(logs.stdout.startsWith('== prepare ==')).toBe(true);
      // the panel's progress while it ran: parts done out of 4
      expect(progress.some((t) => /^[0-4] of 4 parts done$/.test(t)), progress.join(' | ')).toBe(true);
      const imported = store.catalogues.get(done.catalogueId!)!;
      const local = await rows(join(dir, 'local.json'));
      // 300 simulated sources: the image-wide false-detection control keeps the brighter ~95 of this
      // sparse field (the row-by-row equality below is the point; this only rules out an empty catalogue)
      expect(local.length).toBeGreaterThan(50);
      expect(imported.sourceCount).toBe(local.length);
      expect(await rows(join(done.outputDir, 'catalogue.json'))).toEqual(local);
    } finally {
      await service.dispose();
    }
  }, 300_000);
});

const SLEEP_PART = '#!/bin/bash\necho "part $SLURM_ARRAY_TASK_ID"\nsleep 120\n';
const FAIL_PART = '#!/bin/bash\nif [ "$SLURM_ARRAY_TASK_ID" = 1 ]; then echo "part 1 broke" >&2; exit 4; fi\necho ok > part-$SLURM_ARRAY_TASK_ID.txt\n';

function spec(workdir: string, partScript: string): JobSpec {
  return {
    name: 'dist-merge', workdir, script: '#!/bin/bash\ncat part-*.txt > merged.txt\n', stdoutPath: 'stdout.log', stderrPath: 'stderr.log',
    resources: { cpus: 1, partition: 'debug', timeMinutes: 5 },
    parts: { name: 'dist-part', workdir, script: partScript, arrayTasks: 3, stdoutPath: 'part-%a.out', stderrPath: 'part-%a.err', resources: { cpus: 1, partition: 'debug', timeMinutes: 5 } },
  };
}

describe('DistributedBackend on the real Slurm', () => {
  const inners: JobBackend[] = [];
  const rest = () => {
    const b = new SlurmRestBackend({
      baseUrl: env.restUrl, user: env.user, tokens: new KeyFileTokenSource({ keyFile: env.jwtKeyFile, user: env.user }),
      files: new MappedFiles([{ remotePrefix: env.scratchDir, localPrefix: env.scratchDir }]),
    });
    inners.push(b);
    return b;
  };
  afterAll(async () => {
    for (const b of inners) await b.close();
  });

  it('cancel cancels the running parts and the waiting merge (CANCELED)', async () => {
    const b = new DistributedBackend(rest());
    const id = await b.submit(spec(userWorkdir(env, 'dist-cancel'), SLEEP_PART));
    const [arrayId, mergeId] = id.split('+') as [string, string];
    try {
      expect(await waitForJob(b, id, (s) => s.state === 'RUNNING')).toMatchObject({ state: 'RUNNING' });
    } finally {
      await b.cancel(id);
    }
    expect(await waitForJob(b, id)).toMatchObject({ state: 'CANCELED' });
    // a killed task passes through COMPLETING; wait for Slurm to settle every record
    const squeue = () => execFileSync('squeue', ['-h', '-t', 'all', '-o', '%i %T', '-j', `${arrayId},${mergeId}`], { encoding: 'utf8' }).trim().split('\n');
    for (let i = 0; i < 50 && squeue().some((l) => l.endsWith('COMPLETING')); i++) await new Promise((r) => setTimeout(r, 200));
    const states = squeue();
    expect(states.length).toBeGreaterThanOrEqual(2);
    for (const line of states) expect(line).toMatch(/ CANCELLED$/);
  });

  it('a failing part ends the job FAILURE naming the part, cancels the merge, and its stderr is in the logs', async () => {
    const b = new DistributedBackend(rest());
    const s = spec(userWorkdir(env, 'dist-fail'), FAIL_PART);
    const id = await b.submit(s);
    const end = await waitForJob(b, id, undefined, 60_000);
    expect(end).toMatchObject({ state: 'FAILURE', exitCode: 4 });
    expect(end.reason).toMatch(/^part 1 of 3 ended FAILED.*merge not run$/);
    const mergeId = id.split('+')[1]!;
    expect(knownJobIds(env)).toContain(mergeId);
    expect(execFileSync('squeue', ['-h', '-t', 'all', '-o', '%T', '-j', mergeId], { encoding: 'utf8' }).trim()).toBe('CANCELLED');
    const logs = await b.fetchLogs({ nativeId: id, spec: s });
    expect(logs.stderr).toBe('== part 1 of 3 ==\npart 1 broke\n');
    expect(readFileSync(join(s.workdir, 'part-0.txt'), 'utf8')).toBe('ok\n');
  });

  it('slurm-ssh: parts and merge run in order and the merge sees every part', async () => {
    const ssh = new SlurmSshBackend({
      host: env.sshHost, port: env.sshPort, username: env.user, privateKeyPath: join(env.sshDir, 'client_ed25519'), knownHostsPath: join(env.sshDir, 'known_hosts'),
    });
    inners.push(ssh);
    const b = new DistributedBackend(ssh);
    const s = spec(`${env.sshWorkBase}/dist-ok-${process.pid}`, '#!/bin/bash\necho "p$SLURM_ARRAY_TASK_ID" > part-$SLURM_ARRAY_TASK_ID.txt\n');
    const id = await b.submit(s);
    expect(await waitForJob(b, id, undefined, 60_000)).toMatchObject({ state: 'SUCCESS', native: 'COMPLETED' });
    const out = mkdtempSync(join(tmpdir(), 'dist-ssh-'));
    await b.fetchOutputs({ nativeId: id, spec: s }, out);
    expect(readFileSync(join(out, 'merged.txt'), 'utf8')).toBe('p0\np1\np2\n');
    rmSync(out, { recursive: true });
  });
});
