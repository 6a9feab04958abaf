/**
 * OIDC/OAuth2 for caesar-rest (api §1.1). Client side: an access token from the issuer's token endpoint by
 * client credentials or a refresh token (RFC 6749 §4.4, §6), renewed shortly before it expires. Server side:
 * RFC 7662 token introspection, whose `email` claim becomes the user's namespace (as caesar-rest does).
 */
import { AppError } from '../../shared/contract/errors';

export interface OidcClientSettings {
  /** The issuer's token endpoint (Keycloak: `<issuer>/protocol/openid-connect/token`). */
  tokenUrl: string;
  clientId: string;
  clientSecret?: string;
  /** With a refresh token the refresh_token grant is used, else client_credentials. */
  refreshToken?: string;
  scope?: string;
  timeoutMs?: number;
}

interface TokenAnswer {
  access_token?: unknown;
  expires_in?: unknown;
  refresh_token?: unknown;
}

async function postForm(url: string, form: Record<string, string>, timeoutMs: number, basic?: [string, string]): Promise<{ status: number; body: unknown; text: string }> {
  let r: Response;
  try {
    r = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json',
        ...(basic ? { Authorization: `Basic ${Buffer.from(`${encodeURIComponent(basic[0])}:${encodeURIComponent(basic[1])}`).toString('base64')}` } : {}),
      },
      body: new URLSearchParams(form).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new AppError('jobs.backendUnreachable', `OIDC issuer ${url}: ${(err as Error).message}`, { url });
  }
  const text = await r.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: r.status, body, text };
}

/** Access tokens for a caesar-rest client; `token()` answers a valid one, asking the issuer only when needed. */
export class OidcTokenSource {
  private current: { token: string; until: number } | undefined;
  private pending: Promise<string> | undefined;
  private refreshToken: string | undefined;

  constructor(private readonly s: OidcClientSettings) {
    this.refreshToken = s.refreshToken;
  }

  token(): Promise<string> {
    if (this.current && Date.now() < this.current.until) return Promise.resolve(this.current.token);
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Forget the cached token (after a 401: the issuer may have revoked it). */
  invalidate(): void {
    this.current = undefined;
  }

  private async fetchToken(): Promise<string> {
    const form: Record<string, string> = this.refreshToken
      ? { grant_type: 'refresh_token', refresh_token: this.refreshToken, client_id: this.s.clientId }
      : { grant_type: 'client_credentials', client_id: this.s.clientId };
    if (this.s.clientSecret) form.client_secret = this.s.clientSecret;
    if (this.s.scope) form.scope = this.s.scope;
    const r = await postForm(this.s.tokenUrl, form, this.s.timeoutMs ?? 15_000);
    const a = (r.body ?? {}) as TokenAnswer & { error?: unknown; error_description?: unknown };
    if (r.status !== 200 || typeof a.access_token !== 'string') {
      const why = typeof a.error === 'string' ? `${a.error}${typeof a.error_description === 'string' ? `: ${a.error_description}` : ''}` : `HTTP ${r.status}`;
      const code = r.status === 400 || r.status === 401 || r.status === 403 ? 'jobs.authFailed' : r.status >= 500 ? 'jobs.backendUnreachable' : 'jobs.badResponse';
      throw new AppError(code, `OIDC issuer ${this.s.tokenUrl} refused a token for client ${this.s.clientId} (${form.grant_type}): ${why}`, { url: this.s.tokenUrl, status: r.status });
    }
    if (typeof a.refresh_token === 'string') this.refreshToken = a.refresh_token;
    const lifeS = typeof a.expires_in === 'number' && a.expires_in > 0 ? a.expires_in : 300;
    // renew 30 s early (or at half-life for short tokens) so a request never carries an expired token
    this.current = { token: a.access_token, until: Date.now() + Math.max(lifeS / 2, lifeS - 30) * 1000 };
    return a.access_token;
  }
}

export interface IntrospectionSettings {
  /** RFC 7662 endpoint (Keycloak: `<issuer>/protocol/openid-connect/token/introspect`). */
  introspectionUrl: string;
  clientId: string;
  clientSecret: string;
  /** How long an answer is reused for the same token; default 30 s. */
  cacheMs?: number;
  timeoutMs?: number;
}

export interface Introspection {
  active: boolean;
  email?: string;
}

/** Introspection with a small cache, so a burst of requests with one token asks the issuer once. */
export class TokenIntrospector {
  private readonly cache = new Map<string, { at: number; answer: Promise<Introspection> }>();
  constructor(private readonly s: IntrospectionSettings) {}

  introspect(token: string): Promise<Introspection> {
    const now = Date.now();
    const hit = this.cache.get(token);
    if (hit && now - hit.at < (this.s.cacheMs ?? 30_000)) return hit.answer;
    const answer = this.ask(token);
    this.cache.set(token, { at: now, answer });
    // an unreachable issuer is not cached: the next request asks again
    answer.catch(() => this.cache.delete(token));
    if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value!);
    return answer;
  }

  private async ask(token: string): Promise<Introspection> {
    const r = await postForm(this.s.introspectionUrl, { token, token_type_hint: 'access_token' }, this.s.timeoutMs ?? 10_000, [this.s.clientId, this.s.clientSecret]);
    const b = r.body as { active?: unknown; email?: unknown } | undefined;
    if (r.status !== 200 || !b || typeof b.active !== 'boolean') {
      throw new AppError('jobs.backendUnreachable', `token introspection at ${this.s.introspectionUrl}: HTTP ${r.status}`, { url: this.s.introspectionUrl, status: r.status });
    }
    return { active: b.active, ...(b.active && typeof b.email === 'string' ? { email: b.email } : {}) };
  }
}
