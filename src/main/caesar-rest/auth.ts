/**
 * Bearer-token authentication for `cirasa serve`: a tokens file maps tokens to users; `none` puts every client
 * in the shared `anonymous` namespace, as caesar-rest does with AAI off.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { AppError } from '../../shared/contract/errors';
import type { TokenIntrospector } from './oidc';

export type AuthConfig =
  | { mode: 'none' }
  | { mode: 'token'; tokens: ReadonlyMap<string, string> }
  /** RFC 7662 introspection at an OIDC issuer (api §1.1): active token → its `email` as namespace, else anonymous. */
  | { mode: 'oidc'; introspector: Pick<TokenIntrospector, 'introspect'> };

export const ANONYMOUS = 'anonymous';

/** caesar-rest turns an e-mail into a namespace by replacing `@` and `.` with `_`; anything else unsafe goes too. */
export function userNamespace(user: string): string {
  const ns = user.replace(/[@.]/g, '_').replace(/[^A-Za-z0-9_-]/g, '');
  if (!ns) throw new AppError('validation', `User name '${user}' gives an empty namespace`);
  return ns;
}

/**
 * Tokens file: JSON `{"<token>": "<user or e-mail>", ...}`, or text lines `<token> <user>` (`#` comments).
 * Throws `validation` naming the file and line for a malformed entry.
 */
export async function loadTokens(path: string): Promise<Map<string, string>> {
  const text = await readFile(path, 'utf8');
  const tokens = new Map<string, string>();
  if (text.trim().startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw new AppError('validation', `${path}: not valid JSON (${(err as Error).message})`, { file: path });
    }
    for (const [token, user] of Object.entries(doc as Record<string, unknown>)) {
      if (typeof user !== 'string' || token.length < 8) throw new AppError('validation', `${path}: token '${token.slice(0, 4)}…' must map to a user name and be ≥ 8 characters`, { file: path });
      tokens.set(token, userNamespace(user));
    }
  } else {
    text.split('\n').forEach((raw, i) => {
      const line = raw.trim();
      if (!line || line.startsWith('#')) return;
      const [token, user, ...rest] = line.split(/\s+/);
      if (!token || !user || rest.length > 0 || token.length < 8) throw new AppError('validation', `${path}:${i + 1}: expected '<token ≥ 8 chars> <user>'`, { file: path, line: i + 1 });
      tokens.set(token, userNamespace(user));
    });
  }
  if (tokens.size === 0) throw new AppError('validation', `${path}: no tokens`, { file: path });
  return tokens;
}

/** Header `Authorization: Bearer`, else query `access_token` (caesar-rest's transports; the form field is not read). */
export function requestToken(req: IncomingMessage, url: URL): string | undefined {
  const h = req.headers.authorization;
  const m = h ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  if (m) return m[1];
  return url.searchParams.get('access_token') ?? undefined;
}

/**
 * The caller's namespace, or undefined when auth is on and the token is missing, unknown or inactive. With OIDC
 * an active token without an `email` claim is `anonymous`, as caesar-rest does; an unreachable issuer throws.
 */
export async function authenticate(config: AuthConfig, token: string | undefined): Promise<string | undefined> {
  if (config.mode === 'none') return ANONYMOUS;
  if (token === undefined) return undefined;
  if (config.mode === 'oidc') {
    const r = await config.introspector.introspect(token);
    if (!r.active) return undefined;
    return r.email ? userNamespace(r.email) : ANONYMOUS;
  }
  const user = config.tokens.get(token);
  // a tokens map built in code (not by loadTokens) may hold e-mails: namespaces are always sanitized
  return user !== undefined ? userNamespace(user) : undefined;
}
