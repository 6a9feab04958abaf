/**
 * OIDC on both sides of caesar-rest, against a tiny fake issuer written here (no real IdP is reachable from the
 * test machine; the fake follows RFC 6749 §4.4/§6 token answers and RFC 7662 introspection answers):
 * `cirasa serve --auth oidc` turns an active token's `email` into the namespace; our client obtains tokens by
 * client credentials or a refresh token and renews them when they expire.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinApp } from '../../src/main/apps';
import { CaesarRestClient } from '../../src/main/caesar-rest/client';
import { OidcTokenSource, TokenIntrospector } from '../../src/main/caesar-rest/oidc';
import type { RunningCaesarRest } from '../../src/main/caesar-rest/server';
import { serve } from '../../src/main/caesar-rest/service';
import { caesarRestBackendFromProfile } from '../../src/main/jobs/backends/caesar-rest/fromProfile';

const CLIENT = { id: 'desktop', secret: 'desktop-secret' };
const SERVICE = { id: 'caesar-rest', secret: 'service-secret' };

let dir: string;
let issuer: Server;
let issuerUrl: string;
let srv: RunningCaesarRest;
/** token → claims; `until` in ms. */
const issued = new Map<string, { email?: string; until: number }>();
const refreshTokens = new Map<string, string | undefined>([['refresh-jane', 'jane.doe@inaf.it']]);
let tokenRequests = 0;
let introspections = 0;
let lifeS = 60;
let issuerDown = false;

function form(body: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body));
}

function startIssuer(): Promise<Server> {
  let n = 0;
  const s = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', (): void => {
      const json = (status: number, v: unknown): void => void res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(v));
      if (issuerDown) return json(503, { error: 'temporarily_unavailable' });
      const f = form(body);
      if (req.url === '/token') {
        tokenRequests++;
        let email: string | undefined;
        if (f.grant_type === 'client_credentials') {
          if (f.client_id !== CLIENT.id || f.client_secret !== CLIENT.secret) return json(401, { error: 'invalid_client', error_description: 'bad client credentials' });
          email = 'robot@inaf.it';
        } else if (f.grant_type === 'refresh_token') {
          if (!refreshTokens.has(f.refresh_token ?? '')) return json(400, { error: 'invalid_grant', error_description: 'refresh token unknown' });
          email = refreshTokens.get(f.refresh_token!);
        } else {
          return json(400, { error: 'unsupported_grant_type' });
        }
        const token = `at-${++n}`;
        issued.set(token, { ...(email ? { email } : {}), until: Date.now() + lifeS * 1000 });
        return json(200, { access_token: token, token_type: 'Bearer', expires_in: lifeS, ...(f.grant_type === 'refresh_token' ? { refresh_token: f.refresh_token } : {}) });
      }
      if (req.url === '/introspect') {
        introspections++;
        const basic = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
        if (basic !== `${SERVICE.id}:${SERVICE.secret}`) return json(401, { error: 'invalid_client' });
        const t = issued.get(f.token ?? '');
        if (!t || Date.now() > t.until) return json(200, { active: false });
        return json(200, { active: true, client_id: CLIENT.id, ...(t.email ? { email: t.email } : {}), exp: Math.floor(t.until / 1000) });
      }
      return json(404, { error: 'not_found' });
    });
  });
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r(s)));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'caesar-oidc-'));
  issuer = await startIssuer();
  issuerUrl = `http://127.0.0.1:${(issuer.address() as AddressInfo).port}`;
  srv = await serve({
    host: '127.0.0.1', port: 0, dataDir: join(dir, 'data'), jobDir: join(dir, 'jobs'), apps: [builtinApp], log: () => {},
    auth: { mode: 'oidc', introspector: new TokenIntrospector({ introspectionUrl: `${issuerUrl}/introspect`, clientId: SERVICE.id, clientSecret: SERVICE.secret, cacheMs: 0 }) },
  });
});

afterAll(async () => {
  await srv?.close(1000);
  await new Promise((r) => issuer?.close(r));
  await rm(dir, { recursive: true, force: true });
});

async function uploadTiny(client: CaesarRestClient, name: string) {
  const f = join(dir, name);
  await writeFile(f, Buffer.alloc(2880));
  return client.upload(f);
}

describe('OIDC: client credentials and refresh tokens against cirasa serve --auth oidc', () => {
  it('a client-credentials token works; the introspected e-mail is the namespace', async () => {
    const source = new OidcTokenSource({ tokenUrl: `${issuerUrl}/token`, clientId: CLIENT.id, clientSecret: CLIENT.secret });
    const client = new CaesarRestClient({ baseUrl: srv.url, tokens: () => source.token() });
    const up = await uploadTiny(client, 'robot.fits');
    expect((await client.fileIds()).map((f) => f.fileid)).toEqual([up.uuid]);
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(dir, 'data', 'robot_inaf_it', `${up.uuid}.fits`))).toBe(true);
    // another user (refresh-token login as jane) does not see robot's file
    const jane = new OidcTokenSource({ tokenUrl: `${issuerUrl}/token`, clientId: CLIENT.id, refreshToken: 'refresh-jane' });
    expect(await new CaesarRestClient({ baseUrl: srv.url, tokens: () => jane.token() }).fileIds()).toEqual([]);
  });

  it('tokens are reused until shortly before expiry, then renewed', async () => {
    // renewed at half-life for short tokens: after 2 s of a 4 s token
    lifeS = 4;
    try {
      const source = new OidcTokenSource({ tokenUrl: `${issuerUrl}/token`, clientId: CLIENT.id, clientSecret: CLIENT.secret });
      const client = new CaesarRestClient({ baseUrl: srv.url, tokens: () => source.token() });
      const before = tokenRequests;
      await client.apps();
      await client.apps();
      expect(tokenRequests - before).toBe(1);
      await new Promise((r) => setTimeout(r, 4100));
      // the old token is inactive at the issuer now; the source asks for a new one and the call succeeds
      expect(await client.apps()).toEqual(['builtin']);
      expect(tokenRequests - before).toBe(2);
    } finally {
      lifeS = 60;
    }
  });

  it('missing, unknown or expired tokens: 401; bad client credentials: jobs.authFailed from the issuer', async () => {
    await expect(new CaesarRestClient({ baseUrl: srv.url }).apps()).rejects.toMatchObject({ code: 'jobs.authFailed' });
    await expect(new CaesarRestClient({ baseUrl: srv.url, token: 'at-forged' }).apps()).rejects.toMatchObject({ code: 'jobs.authFailed' });
    issued.set('at-expired', { email: 'x@y.z', until: Date.now() - 1 });
    const r = await fetch(`${srv.url}/caesar/api/v1.0/apps`, { headers: { Authorization: 'Bearer at-expired' } });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toBe('Bearer');
    const bad = new OidcTokenSource({ tokenUrl: `${issuerUrl}/token`, clientId: CLIENT.id, clientSecret: 'wrong' });
    await expect(bad.token()).rejects.toMatchObject({ code: 'jobs.authFailed', message: expect.stringContaining('invalid_client') });
  });

  it('an active token without an e-mail claim is the shared anonymous namespace (as caesar-rest)', async () => {
    issued.set('at-noemail', { until: Date.now() + 60_000 });
    const client = new CaesarRestClient({ baseUrl: srv.url, token: 'at-noemail' });
    const up = await uploadTiny(client, 'anon.fits');
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(dir, 'data', 'anonymous', `${up.uuid}.fits`))).toBe(true);
  });

  it('an unreachable issuer: the service answers 500 (HTML), the client says jobs.backendUnreachable', async () => {
    issuerDown = true;
    try {
      const r = await fetch(`${srv.url}/caesar/api/v1.0/apps`, { headers: { Authorization: 'Bearer at-1' } });
      expect(r.status).toBe(500);
      expect(r.headers.get('content-type')).toMatch(/^text\/html/);
      await expect(new CaesarRestClient({ baseUrl: srv.url, token: 'at-1' }).apps()).rejects.toMatchObject({ code: 'jobs.backendUnreachable' });
    } finally {
      issuerDown = false;
    }
  });

  it('a caesar-rest profile with oidc settings builds a backend that authenticates by client credentials', async () => {
    const secretFile = join(dir, 'client-secret');
    await writeFile(secretFile, `${CLIENT.secret}\n`);
    const backend = await caesarRestBackendFromProfile({ type: 'caesar-rest', url: srv.url, oidc: { tokenUrl: `${issuerUrl}/token`, clientId: CLIENT.id, clientSecretFile: secretFile } });
    expect(await backend.client.apps()).toEqual(['builtin']);
    // the issuer revokes every token: one 401, then the backend asks for a new token and goes on
    issued.clear();
    await expect(backend.client.apps()).rejects.toMatchObject({ code: 'jobs.authFailed' });
    expect(await backend.client.apps()).toEqual(['builtin']);
    await expect(caesarRestBackendFromProfile({ type: 'caesar-rest', url: srv.url, oidc: { tokenUrl: `${issuerUrl}/token`, clientId: CLIENT.id, clientSecretFile: join(dir, 'nope') } }))
      .rejects.toMatchObject({ code: 'jobs.authFailed' });
  });
});
