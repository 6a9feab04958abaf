import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { AppError } from '../../../shared/contract/errors';

/** Where slurm-rest requests get their `X-SLURM-USER-TOKEN`. Tokens are secrets: never log them. */
export interface TokenSource {
  /** A token valid for at least a little while (renewed when close to expiry). */
  token(): Promise<string>;
  /** The server rejected the current token: forget it. Answers whether a fresh one can be made (retry is useful). */
  invalidate(): boolean;
}

const b64url = (s: string | Buffer): string => Buffer.from(s).toString('base64url');

/**
 * Sign an HS256 JWT as Slurm's auth/jwt expects: header {alg,typ}, payload {exp, iat, sun} (sun = Slurm user
 * name), HMAC-SHA256 over `header.payload` with the raw bytes of the key file (slurm.conf `jwt_key=`).
 */
export function signSlurmJwt(key: Buffer, user: string, iatSeconds: number, lifetimeSeconds: number): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = b64url(JSON.stringify({ exp: iatSeconds + lifetimeSeconds, iat: iatSeconds, sun: user }));
  const signature = createHmac('sha256', key).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** The `exp` claim (Unix seconds) of a JWT, or undefined when the token is not a readable JWT. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp : undefined;
  } catch {
    return undefined;
  }
}

export interface KeyFileTokenOptions {
  keyFile: string;
  user: string;
  /** Token lifetime; default 1 h. */
  lifetimeSeconds?: number;
  /** Renew when fewer than this many seconds remain; default 10 % of the lifetime (at least 5 s). */
  renewBeforeSeconds?: number;
  /** Clock in Unix seconds (tests). */
  now?: () => number;
}

/** Self-signed tokens from the cluster's HS256 key (the user holds a copy of jwt_hs256.key). */
export class KeyFileTokenSource implements TokenSource {
  private key: Buffer | undefined;
  private current: { token: string; exp: number } | undefined;
  /** How many tokens were signed (diagnostics and tests; never the tokens themselves). */
  signedCount = 0;
  private readonly lifetime: number;
  private readonly renewBefore: number;
  private readonly now: () => number;

  constructor(private readonly options: KeyFileTokenOptions) {
    this.lifetime = options.lifetimeSeconds ?? 3600;
    this.renewBefore = options.renewBeforeSeconds ?? Math.max(5, Math.floor(this.lifetime / 10));
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
  }

  async token(): Promise<string> {
    const now = this.now();
    if (this.current && this.current.exp - now > this.renewBefore) return this.current.token;
    this.key ??= await readKey(this.options.keyFile);
    const token = signSlurmJwt(this.key, this.options.user, now, this.lifetime);
    this.current = { token, exp: now + this.lifetime };
    this.signedCount++;
    return token;
  }

  invalidate(): boolean {
    this.current = undefined;
    this.key = undefined; // the key file may have been rotated
    return true;
  }
}

async function readKey(keyFile: string): Promise<Buffer> {
  try {
    const key = await readFile(keyFile);
    if (key.length === 0) throw new AppError('jobs.authFailed', `JWT key file ${keyFile} is empty`, { keyFile });
    return key;
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new AppError('jobs.authFailed', `Cannot read the Slurm JWT key file ${keyFile} (${code ?? String(err)})`, {
      keyFile,
      errno: code,
    });
  }
}

/** A token pasted by the user (e.g. from `scontrol token`): used as is; an expired one is refused up front. */
export class StaticTokenSource implements TokenSource {
  constructor(
    private readonly value: string,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  async token(): Promise<string> {
    const exp = jwtExpiry(this.value);
    if (exp !== undefined && exp <= this.now()) {
      throw new AppError(
        'jobs.authFailed',
        `The pasted Slurm token expired at ${new Date(exp * 1000).toISOString()}; paste a new one (scontrol token)`,
        { expiredAt: exp },
      );
    }
    return this.value;
  }

  invalidate(): boolean {
    return false;
  }
}
