/**
 * The backend profiles the settings editor manages: `<dataDir>/profiles/<name>.json` plus the profile's secrets in
 * the SecretStore (id `<name>.token`, `<name>.passphrase`, referenced from the profile as tokenSecret /
 * passphraseSecret). What leaves this module for the renderer is settings (file paths, hosts, users) and
 * `hasSecret` flags — never a secret value, and no message quotes one.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { AppError } from '../../shared/contract/errors';
import { PROFILE_SECRET_FIELDS, type ProfileDetails, type ProfileInfo, type ProfileSecretField, type ProfileTestResult } from '../../shared/contract/jobs';
import type { BackendFactories } from './backendFactories';
import { describeProfile, loadProfile, parseProfile, type BackendProfile } from './profiles';
import type { SecretStore } from './secretStore';
import { SlurmRestBackend } from './slurm-rest/slurmRestBackend';
import { SlurmSshBackend } from './slurm-ssh/slurmSshBackend';

export const LOCAL_PROFILE_NAME = 'local';
const BUILTIN_LOCAL: BackendProfile = { type: 'local', name: 'This computer' };

/** Which profile field refers to which stored secret, per profile type. */
const SECRET_REFS: Partial<Record<BackendProfile['type'], Partial<Record<ProfileSecretField, 'tokenSecret' | 'passphraseSecret'>>>> = {
  'slurm-rest': { token: 'tokenSecret' },
  'slurm-ssh': { passphrase: 'passphraseSecret' },
  'caesar-rest': { token: 'tokenSecret' },
};

export type SecretUpdates = Partial<Record<ProfileSecretField, string | null>>;

function errText(err: unknown): string {
  return err instanceof AppError ? `${err.message} [${err.code}]` : err instanceof Error ? err.message : String(err);
}

export class ProfileEditor {
  constructor(
    readonly dir: string,
    readonly secrets: SecretStore,
    private readonly factories: BackendFactories,
  ) {}

  /**
   * Profiles by name: "local" first, then the valid JSON files (a bad file is skipped with a warning naming it);
   * `local.json` there replaces the built-in local profile.
   */
  async load(): Promise<Map<string, BackendProfile>> {
    const out = new Map<string, BackendProfile>([[LOCAL_PROFILE_NAME, BUILTIN_LOCAL]]);
    let files: string[];
    try {
      files = (await readdir(this.dir)).filter((f) => f.endsWith('.json')).sort();
    } catch {
      return out;
    }
    for (const f of files) {
      try {
        out.set(basename(f, '.json'), await loadProfile(join(this.dir, f)));
      } catch (err) {
        console.warn(`cirasa: profile skipped: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return out;
  }

  async get(name: string): Promise<BackendProfile> {
    const p = (await this.load()).get(name);
    if (!p) throw new AppError('validation', `Unknown backend profile '${name}'`, { profile: name });
    return p;
  }

  async list(): Promise<ProfileInfo[]> {
    const out: ProfileInfo[] = [];
    for (const [name, p] of await this.load()) {
      const stored = await this.storedSecrets(name, p);
      out.push({ name, type: p.type as ProfileInfo['type'], description: describeProfile(p), hasSecret: Object.values(stored).some(Boolean), editable: name !== LOCAL_PROFILE_NAME });
    }
    return out;
  }

  private async storedSecrets(name: string, p: BackendProfile): Promise<Partial<Record<ProfileSecretField, boolean>>> {
    const out: Partial<Record<ProfileSecretField, boolean>> = {};
    for (const field of Object.keys(SECRET_REFS[p.type] ?? {}) as ProfileSecretField[]) {
      const ref = SECRET_REFS[p.type]![field]!;
      const id = (p as Record<string, unknown>)[ref];
      out[field] = typeof id === 'string' && id === secretId(name, field) && (await this.secrets.has(id));
    }
    return out;
  }

  async details(name: string): Promise<ProfileDetails> {
    const p = await this.get(name);
    return { name, type: p.type, settings: { ...p }, secrets: await this.storedSecrets(name, p), secretProtection: this.secrets.protection };
  }

  /** Create or replace a profile; secrets: a string stores it, null forgets it, absent keeps what is stored. */
  async save(name: string, settings: Record<string, unknown>, updates: SecretUpdates = {}): Promise<ProfileInfo> {
    if (name === LOCAL_PROFILE_NAME) throw new AppError('validation', 'The built-in "local" profile is not edited here (use local.json in the profiles folder)');
    // the name becomes a file name: no separators, no leading dot
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(name)) throw new AppError('validation', `Not a profile name: ${JSON.stringify(name.slice(0, 80))} (letters, digits, . _ -)`);
    const type = settings.type as BackendProfile['type'];
    const refs = SECRET_REFS[type] ?? {};
    const next: Record<string, unknown> = { ...settings };
    // the references are ours to set: a renderer cannot point a profile at another profile's secret
    delete next.tokenSecret;
    delete next.passphraseSecret;
    for (const field of PROFILE_SECRET_FIELDS) {
      const ref = refs[field];
      const update = updates[field];
      if (!ref) {
        if (typeof update === 'string') throw new AppError('validation', `A ${String(type)} profile keeps no ${field}`, { field });
        continue;
      }
      const keep = update === undefined && (await this.secrets.has(secretId(name, field)));
      if (typeof update === 'string' || keep) next[ref] = secretId(name, field);
    }
    if (typeof updates.token === 'string' && updates.token.trim() === '') throw new AppError('validation', 'The token is empty', { field: 'token' });
    const profile = parseProfile(next, `profile ${name}`);
    for (const field of PROFILE_SECRET_FIELDS) {
      const update = updates[field];
      if (typeof update === 'string') await this.secrets.set(secretId(name, field), field === 'token' ? update.trim() : update);
      else if (update === null || !refs[field]) await this.secrets.delete(secretId(name, field));
    }
    await mkdir(this.dir, { recursive: true });
    await writeFile(join(this.dir, `${name}.json`), `${JSON.stringify(profile, null, 2)}\n`);
    return (await this.list()).find((p) => p.name === name)!;
  }

  async delete(name: string): Promise<void> {
    if (name === LOCAL_PROFILE_NAME) throw new AppError('validation', 'The built-in "local" profile cannot be deleted');
    await this.get(name).catch(() => {
      throw new AppError('notFound', `No backend profile '${name}'`, { profile: name });
    });
    await rm(join(this.dir, `${name}.json`), { force: true });
    for (const field of PROFILE_SECRET_FIELDS) await this.secrets.delete(secretId(name, field));
  }

  /** Reach the backend: slurmrestd ping, an SSH login running sinfo, or the local machine. Never throws. */
  async test(name: string): Promise<ProfileTestResult> {
    let profile: BackendProfile;
    try {
      profile = await this.get(name);
    } catch (err) {
      return { ok: false, message: errText(err) };
    }
    if (profile.type === 'local') return { ok: true, message: 'jobs run on this computer' };
    const factory = this.factories[profile.type];
    if (!factory) return { ok: false, message: `no backend for profile type ${profile.type} in this build` };
    let backend;
    try {
      backend = await factory(profile);
    } catch (err) {
      return { ok: false, message: errText(err) };
    }
    try {
      if (backend instanceof SlurmRestBackend) {
        await backend.client.ping(AbortSignal.timeout(15_000));
        return { ok: true, message: `slurmrestd at ${(profile as { baseUrl: string }).baseUrl} answered (API ${await backend.client.version()})` };
      }
      if (backend instanceof SlurmSshBackend) {
        const session = await backend.connect(AbortSignal.timeout(15_000));
        const r = await session.exec('sinfo --version', { timeoutMs: 15_000 });
        if (r.code !== 0) return { ok: false, message: `logged in, but sinfo failed (exit ${r.code}): ${r.stderr.trim().slice(0, 300)}` };
        return { ok: true, message: `SSH login to ${describeProfile(profile)} works; ${r.stdout.trim()}` };
      }
      return { ok: true, message: `${profile.type} backend built (no connection test for this type)` };
    } catch (err) {
      return { ok: false, message: errText(err) };
    } finally {
      await backend.close().catch(() => undefined);
    }
  }
}

export function secretId(profileName: string, field: ProfileSecretField): string {
  return `${profileName}.${field}`;
}
