/** A CaesarRestBackend from a `caesar-rest` profile: secrets are read from the files the profile names. */
import { readFile } from 'node:fs/promises';
import { AppError } from '../../../../shared/contract/errors';
import { OidcTokenSource } from '../../../caesar-rest/oidc';
import type { BackendProfile } from '../../profiles';
import { CaesarRestBackend } from './caesarRestBackend';

async function secret(path: string, what: string): Promise<string> {
  try {
    const text = (await readFile(path, 'utf8')).trim();
    if (!text) throw Object.assign(new Error('empty'), { code: 'empty' });
    return text;
  } catch (err) {
    // the path is not secret; the content never appears in a message
    throw new AppError('jobs.authFailed', `Cannot read the caesar-rest ${what} file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { file: path });
  }
}

/** `storedToken`: reads the pasted token (profile `tokenSecret`) from the app's secret store. */
export async function caesarRestBackendFromProfile(p: BackendProfile, storedToken?: () => Promise<string>): Promise<CaesarRestBackend> {
  if (p.type !== 'caesar-rest') throw new AppError('internal', 'caesar-rest factory given another profile');
  const common = { url: p.url, ...(p.timeoutMs ? { timeoutMs: p.timeoutMs } : {}) };
  if (p.oidc) {
    const o = p.oidc;
    const source = new OidcTokenSource({
      tokenUrl: o.tokenUrl, clientId: o.clientId,
      ...(o.clientSecretFile ? { clientSecret: await secret(o.clientSecretFile, 'OIDC client secret') } : {}),
      ...(o.refreshTokenFile ? { refreshToken: await secret(o.refreshTokenFile, 'OIDC refresh token') } : {}),
      ...(o.scope ? { scope: o.scope } : {}),
    });
    return new CaesarRestBackend({ ...common, tokens: () => source.token(), onUnauthorized: () => source.invalidate() });
  }
  if (p.tokenSecret) {
    if (!storedToken) throw new AppError('jobs.authFailed', `The profile's pasted token (${p.tokenSecret}) is in the app's secret store, which this process was not given`, { secret: p.tokenSecret });
    return new CaesarRestBackend({ ...common, token: await storedToken() });
  }
  return new CaesarRestBackend({ ...common, ...(p.tokenFile ? { token: await secret(p.tokenFile, 'token') } : {}) });
}
