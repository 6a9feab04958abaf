/**
 * Secrets of backend profiles (pasted tokens, key passphrases), kept in the main process only: the renderer can
 * write one and learn THAT it is stored, never read it back. On the desktop an injected encryptor (Electron
 * safeStorage, wired in src/main/index.ts) encrypts them with the OS keychain; in browser mode and plain Node they
 * are files only this user can read (mode 0600) — the UI says which. Values never appear in errors or logs.
 */
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../shared/contract/errors';

/** Encryption by the OS (Electron `safeStorage`); injected, so this module never imports electron. */
export interface SecretEncryptor {
  encryptString(plain: string): Buffer;
  decryptString(data: Buffer): string;
}

export type SecretProtection = 'encrypted' | 'file-0600';

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;

function checkId(id: string): string {
  if (!ID.test(id) || id.includes('..')) throw new AppError('validation', `Not a secret id: ${JSON.stringify(id.slice(0, 80))}`);
  return id;
}

export class SecretStore {
  constructor(
    /** Folder of the secret files, e.g. `<dataDir>/secrets` (created 0700 on first write). */
    readonly dir: string,
    private readonly encryptor?: SecretEncryptor,
  ) {}

  get protection(): SecretProtection {
    return this.encryptor ? 'encrypted' : 'file-0600';
  }

  private file(id: string, kind: 'enc' | 'txt'): string {
    return join(this.dir, `${checkId(id)}.${kind}`);
  }

  async set(id: string, value: string): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await chmod(this.dir, 0o700);
    await this.delete(id);
    const [path, data] = this.encryptor ? [this.file(id, 'enc'), this.encryptor.encryptString(value)] : [this.file(id, 'txt'), value];
    // mode at creation (no window where another user could open it), and again in case a umask widened nothing but an old file existed
    await writeFile(path, data, { mode: 0o600 });
    await chmod(path, 0o600);
  }

  /** The value, or undefined when none is stored. Throws `jobs.authFailed` (no value in the message) when it cannot be read. */
  async get(id: string): Promise<string | undefined> {
    const enc = await readFile(this.file(id, 'enc')).catch(() => undefined);
    if (enc) {
      if (!this.encryptor) {
        throw new AppError('jobs.authFailed', `The secret ${id} was stored encrypted by the desktop app; enter it again in this mode`, { secret: id });
      }
      try {
        return this.encryptor.decryptString(enc);
      } catch {
        throw new AppError('jobs.authFailed', `The secret ${id} cannot be decrypted by this user's keychain; enter it again`, { secret: id });
      }
    }
    const plain = await readFile(this.file(id, 'txt'), 'utf8').catch(() => undefined);
    return plain;
  }

  async has(id: string): Promise<boolean> {
    for (const kind of ['enc', 'txt'] as const) {
      if (await stat(this.file(id, kind)).then(() => true, () => false)) return true;
    }
    return false;
  }

  async delete(id: string): Promise<void> {
    await rm(this.file(id, 'enc'), { force: true });
    await rm(this.file(id, 'txt'), { force: true });
  }
}
