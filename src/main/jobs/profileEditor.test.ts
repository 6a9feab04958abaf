import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import { AppRegistry } from '../apps';
import { openStore, type Store } from '../store';
import { JobService } from './jobService';
import { jobsHandlers } from './jobsHandlers';
import { loadProfile } from './profiles';
import { SecretStore, type SecretEncryptor } from './secretStore';

const TOKEN = 'eyJ-SECRET-TOKEN-do-not-leak-7f3a9c';
const PASSPHRASE = 'correct horse battery staple 42';

/** A stand-in for Electron safeStorage: reversible, and the plaintext is not in its output. */
const fakeKeychain: SecretEncryptor = {
  encryptString: (plain) => Buffer.from(`K1:${Buffer.from(plain, 'utf8').reverse().toString('base64')}`),
  decryptString: (data) => Buffer.from(data.toString().slice(3), 'base64').reverse().toString('utf8'),
};

let dir: string;
let store: Store;
let server: Server;
let baseUrl: string;
const tokensSeen: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'profile-editor-'));
  store = openStore(':memory:');
  // a minimal slurmrestd: the OpenAPI document and ping, recording the token each request carried
  server = createServer((req, res) => {
    tokensSeen.push(String(req.headers['x-slurm-user-token'] ?? ''));
    res.setHeader('Content-Type', 'application/json');
    if (req.url === '/openapi/v3') res.end(JSON.stringify({ paths: { '/slurm/v0.0.38/ping': {} } }));
    else if (req.url === '/slurm/v0.0.38/ping') res.end(JSON.stringify({ pings: [{ hostname: 'vm', ping: 'UP' }], errors: [] }));
    else res.writeHead(404).end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  store.close();
  await new Promise((r) => server.close(r));
  await rm(dir, { recursive: true, force: true });
});

/** Everything written to the console and the process streams while `fn` runs. */
async function captureOutput(fn: () => Promise<void>): Promise<string> {
  const out: string[] = [];
  const saved = { log: console.log, warn: console.warn, error: console.error, info: console.info, debug: console.debug };
  const so = process.stdout.write.bind(process.stdout);
  const se = process.stderr.write.bind(process.stderr);
  for (const k of Object.keys(saved) as (keyof typeof saved)[]) console[k] = (...a: unknown[]) => void out.push(a.map(String).join(' '));
  process.stdout.write = ((c: string | Uint8Array) => (out.push(String(c)), true)) as typeof process.stdout.write;
  process.stderr.write = ((c: string | Uint8Array) => (out.push(String(c)), true)) as typeof process.stderr.write;
  try {
    await fn();
  } finally {
    Object.assign(console, saved);
    process.stdout.write = so;
    process.stderr.write = se;
  }
  return out.join('\n');
}

describe.each([
  ['plain Node / browser mode', undefined, 'file-0600'],
  ['desktop with an OS keychain', fakeKeychain, 'encrypted'],
] as const)('backend profile secrets (%s)', (_label, encryptor, protection) => {
  let dataDir: string;
  let service: JobService;
  let h: ReturnType<typeof jobsHandlers>;
  let secrets: SecretStore;
  const ctx = {} as never;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(dir, 'data-'));
    secrets = new SecretStore(join(dataDir, 'secrets'), encryptor);
    service = new JobService({ store, apps: new AppRegistry(), dataDir, secrets, autoStart: false });
    h = jobsHandlers(service, new AppRegistry(), join(dataDir, 'profiles'), { secrets });
  });
  afterEach(() => {
    tokensSeen.length = 0;
  });
  afterAll(async () => {
    await service.dispose();
  });

  const restSettings = () => ({ type: 'slurm-rest', name: 'Test cluster', baseUrl, user: 'astro', workRoot: '/scratch', pathMappings: [{ remotePrefix: '/scratch', localPrefix: '/scratch' }] });
  const sshSettings = { type: 'slurm-ssh', host: '127.0.0.1', user: 'astro', keyFile: '/home/astro/.ssh/id_ed25519', knownHostsFile: '/home/astro/.ssh/known_hosts', workRoot: '/home/astro/jobs' };

  it('keeps the secret in main: the renderer sees hasSecret, no response or log carries it, the backend gets it', async () => {
    const answers: unknown[] = [];
    const logged = await captureOutput(async () => {
      answers.push(await h['jobs.saveProfile']({ name: 'cluster', settings: restSettings(), secrets: { token: `  ${TOKEN}\n` } }, ctx));
      answers.push(await h['jobs.saveProfile']({ name: 'login', settings: sshSettings, secrets: { passphrase: PASSPHRASE } }, ctx));
      answers.push(await h['jobs.profiles']({}, ctx));
      answers.push(await h['jobs.profile']({ name: 'cluster' }, ctx));
      answers.push(await h['jobs.profile']({ name: 'login' }, ctx));
      answers.push(await h['jobs.testProfile']({ name: 'cluster' }, ctx));
      answers.push(await h['jobs.list']({}, ctx));
      // a failing save names the field but never echoes the value
      answers.push(await Promise.resolve(h['jobs.saveProfile']({ name: 'bad', settings: { ...restSettings(), token: TOKEN }, secrets: {} }, ctx)).catch((e: AppError) => ({ code: e.code, message: e.message, details: e.details })));
    });
    const text = JSON.stringify(answers);
    for (const secret of [TOKEN, PASSPHRASE]) {
      expect(text).not.toContain(secret);
      expect(logged).not.toContain(secret);
    }
    expect(tokensSeen.length).toBeGreaterThan(0);
    expect(tokensSeen.every((t) => t === TOKEN)).toBe(true); // trimmed as pasted, and used
    const list = answers[2] as { name: string; hasSecret?: boolean; editable?: boolean }[];
    expect(list.find((p) => p.name === 'cluster')).toMatchObject({ hasSecret: true, editable: true });
    expect(list.find((p) => p.name === 'local')).toMatchObject({ hasSecret: false, editable: false });
    expect(answers[3]).toMatchObject({ type: 'slurm-rest', secrets: { token: true }, secretProtection: protection, settings: { tokenSecret: 'cluster.token' } });
    expect(answers[4]).toMatchObject({ secrets: { passphrase: true } });
    expect(answers[5]).toEqual({ ok: true, message: `slurmrestd at ${baseUrl} answered (API v0.0.38)` });
    expect(answers[7]).toMatchObject({ code: 'validation', message: expect.stringContaining('secrets are not stored in profiles (token)') });
    // the profile file names the secret, never holds it
    expect(await readFile(join(dataDir, 'profiles', 'cluster.json'), 'utf8')).not.toContain(TOKEN);
    expect(await loadProfile(join(dataDir, 'profiles', 'cluster.json'))).toMatchObject({ tokenSecret: 'cluster.token' });
  });

  it('stores secrets only this user can read, encrypted when a keychain is there', async () => {
    const files = await readdir(join(dataDir, 'secrets'));
    expect(files.sort()).toEqual(encryptor ? ['cluster.token.enc', 'login.passphrase.enc'] : ['cluster.token.txt', 'login.passphrase.txt']);
    expect((await stat(join(dataDir, 'secrets'))).mode & 0o777).toBe(0o700);
    for (const f of files) {
      expect((await stat(join(dataDir, 'secrets', f))).mode & 0o777).toBe(0o600);
      const raw = await readFile(join(dataDir, 'secrets', f), 'utf8');
      if (encryptor) expect(raw).not.toMatch(/SECRET-TOKEN|horse/);
    }
    expect(await secrets.get('cluster.token')).toBe(TOKEN);
  });

  it('keeps a stored secret when the form leaves it empty, forgets it on null, and a profile cannot borrow another one', async () => {
    await h['jobs.saveProfile']({ name: 'cluster', settings: { ...restSettings(), partition: 'debug' } }, ctx);
    expect(await h['jobs.profile']({ name: 'cluster' }, ctx)).toMatchObject({ secrets: { token: true }, settings: { partition: 'debug' } });
    await h['jobs.saveProfile']({ name: 'thief', settings: { ...sshSettings, passphraseSecret: 'login.passphrase' } }, ctx);
    expect((await h['jobs.profile']({ name: 'thief' }, ctx)).settings.passphraseSecret).toBeUndefined();
    await h['jobs.saveProfile']({ name: 'login', settings: sshSettings, secrets: { passphrase: null } }, ctx);
    expect(await h['jobs.profile']({ name: 'login' }, ctx)).toMatchObject({ secrets: { passphrase: false } });
    expect(await secrets.has('login.passphrase')).toBe(false);
    // a slurm-rest profile without any token source is refused, and the stored token stays
    await expect(h['jobs.saveProfile']({ name: 'cluster', settings: restSettings(), secrets: { token: null } }, ctx)).rejects.toMatchObject({ code: 'validation' });
    expect(await secrets.has('cluster.token')).toBe(true);
  });

  it('deletes a profile with its secrets; the built-in local profile stays', async () => {
    await h['jobs.deleteProfile']({ name: 'cluster' }, ctx);
    expect(await secrets.has('cluster.token')).toBe(false);
    expect((await h['jobs.profiles']({}, ctx)).map((p) => p.name)).not.toContain('cluster');
    await expect(h['jobs.deleteProfile']({ name: 'local' }, ctx)).rejects.toMatchObject({ code: 'validation' });
    await expect(Promise.resolve(h['jobs.saveProfile']({ name: '../escape', settings: sshSettings }, ctx))).rejects.toMatchObject({ code: 'validation' });
    await expect(h['jobs.deleteProfile']({ name: 'nope' }, ctx)).rejects.toMatchObject({ code: 'notFound' });
    expect(await h['jobs.testProfile']({ name: 'nope' }, ctx)).toMatchObject({ ok: false });
  });
});

describe('secret store', () => {
  it('refuses ids that could leave its folder, and tells a desktop-encrypted secret from a missing one', async () => {
    const s = new SecretStore(join(dir, 'sec'));
    await expect(s.set('../x', 'v')).rejects.toMatchObject({ code: 'validation' });
    expect(await s.get('none.token')).toBeUndefined();
    await new SecretStore(join(dir, 'sec'), fakeKeychain).set('p.token', TOKEN);
    const err = await s.get('p.token').catch((e: AppError) => e);
    expect(err).toMatchObject({ code: 'jobs.authFailed' });
    expect((err as AppError).message).not.toContain(TOKEN);
  });
});

describe('option presets', () => {
  it('saves validated presets per app, lists them sorted, survives a new handler set, deletes', async () => {
    const dataDir = await mkdtemp(join(dir, 'presets-'));
    const make = () => jobsHandlers(new AppError('internal', 'no store'), new AppRegistry(), join(dataDir, 'profiles'));
    const ctx = {} as never;
    const h = make();
    await h['jobs.savePreset']({ app: 'builtin', name: 'deep', options: { seedSigma: '4' } }, ctx);
    await h['jobs.savePreset']({ app: 'builtin', name: 'bright', options: { seedSigma: 8 } }, ctx);
    await h['jobs.savePreset']({ app: 'sextractor', name: 'default', options: {} }, ctx);
    await expect(h['jobs.savePreset']({ app: 'builtin', name: 'bad', options: { noSuchOption: 1 } }, ctx)).rejects.toMatchObject({ code: 'validation' });
    const again = make();
    const builtin = await again['jobs.presets']({ app: 'builtin' }, ctx);
    expect(builtin.map((p) => p.name)).toEqual(['bright', 'deep']);
    expect(builtin[1]!.options).toMatchObject({ seedSigma: 4, mergeSigma: 2.6 }); // coerced, defaults filled
    expect((await again['jobs.presets']({}, ctx)).length).toBe(3);
    await again['jobs.savePreset']({ app: 'builtin', name: 'deep', options: { seedSigma: 3.5 } }, ctx);
    expect((await again['jobs.presets']({ app: 'builtin' }, ctx)).find((p) => p.name === 'deep')!.options.seedSigma).toBe(3.5);
    await again['jobs.deletePreset']({ app: 'builtin', name: 'deep' }, ctx);
    await expect(again['jobs.deletePreset']({ app: 'builtin', name: 'deep' }, ctx)).rejects.toMatchObject({ code: 'notFound' });
    // an app only a caesar-rest service offers (no local schema): kept as given, checked by the service's schema at submit
    await again['jobs.savePreset']({ app: 'aegean', name: 'wide', options: { seedclip: 5 } }, ctx);
    expect(await again['jobs.presets']({ app: 'aegean' }, ctx)).toEqual([{ app: 'aegean', name: 'wide', options: { seedclip: 5 } }]);
    await writeFile(join(dataDir, 'presets.json'), 'garbage');
    await expect(again['jobs.presets']({}, ctx)).rejects.toMatchObject({ code: 'validation' });
  });
});
