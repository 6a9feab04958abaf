import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { TokenSource } from './jwt';
import { SlurmRestClient } from './slurmRestClient';

const SECRET = 'eyJhbGciOiJIUzI1NiJ9.secret-token.sig';

class CountingTokens implements TokenSource {
  issued = 0;
  async token(): Promise<string> {
    this.issued++;
    return `${SECRET}-${this.issued}`;
  }
  invalidate(): boolean {
    return true;
  }
}

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
}

/** A fetch answering from a routing function, recording requests. */
function fakeFetch(route: (s: Seen, n: number) => { status: number; body: unknown }, seen: Seen[]): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const s = { method: init?.method ?? 'GET', url: String(input), headers: (init?.headers ?? {}) as Record<string, string> };
    seen.push(s);
    const r = route(s, seen.length);
    return new Response(typeof r.body === 'string' ? r.body : JSON.stringify(r.body), { status: r.status });
  }) as typeof fetch;
}

const AUTH_500 = { status: 500, body: { errors: [{ description: 'slurmctld config is unable to load', error_number: -1, error: 'Unspecified error', source: 'slurm_load_ctl_conf' }] } };

describe('SlurmRestClient', () => {
  it('discovers the version from the OpenAPI document and remembers it', async () => {
    const seen: Seen[] = [];
    const route = (s: Seen) =>
      s.url.endsWith('/openapi/v3')
        ? { status: 200, body: { paths: { '/slurm/v0.0.37/ping': {}, '/slurm/v0.0.36/ping': {} } } }
        : { status: 200, body: { errors: [], pings: [] } };
    const c = new SlurmRestClient({ baseUrl: 'http://x/', user: 'astro', tokens: new CountingTokens(), fetch: fakeFetch(route, seen) });
    expect(await c.version()).toBe('v0.0.37');
    await c.ping();
    expect(seen.map((s) => s.url)).toEqual(['http://x/openapi/v3', 'http://x/slurm/v0.0.37/ping']);
    expect(seen[1]!.headers['X-SLURM-USER-NAME']).toBe('astro');
  });

  it('falls back to pinging versions when there is no OpenAPI document (404 = not offered)', async () => {
    const seen: Seen[] = [];
    const route = (s: Seen) => (s.url.includes('v0.0.36/ping') ? { status: 200, body: { errors: [] } } : { status: 404, body: 'Unable find requested URL' });
    const c = new SlurmRestClient({ baseUrl: 'http://x', user: 'astro', tokens: new CountingTokens(), fetch: fakeFetch(route, seen) });
    expect(await c.version()).toBe('v0.0.36');
    const none = new SlurmRestClient({ baseUrl: 'http://x', user: 'astro', tokens: new CountingTokens(), fetch: fakeFetch(() => ({ status: 404, body: '' }), []) });
    await expect(none.version()).rejects.toMatchObject({ code: 'jobs.badResponse' });
  });

  it('renews the token and retries once on an auth-looking 500; a second one is jobs.authFailed without the token', async () => {
    const tokens = new CountingTokens();
    const seen: Seen[] = [];
    const c = new SlurmRestClient({ baseUrl: 'http://x', user: 'astro', tokens, version: 'v0.0.38', fetch: fakeFetch((_s, n) => (n === 1 ? AUTH_500 : { status: 200, body: { errors: [], job_id: 42 } }), seen) });
    expect(await c.submit({ script: '#!/bin/sh\n' })).toBe('42');
    expect(seen.map((s) => s.headers['X-SLURM-USER-TOKEN'])).toEqual([`${SECRET}-1`, `${SECRET}-2`]);

    const always = new SlurmRestClient({ baseUrl: 'http://x', user: 'astro', tokens: new CountingTokens(), version: 'v0.0.38', fetch: fakeFetch(() => AUTH_500, []) });
    const err = (await always.job('5').catch((e: unknown) => e)) as Error & { code: string; details: unknown };
    expect(err.code).toBe('jobs.authFailed');
    expect(err.message + JSON.stringify(err.details)).not.toContain(SECRET);
  });

  it('maps an unknown job to notFound, and cancelling it to a no-op', async () => {
    const gone = { status: 500, body: { errors: [{ description: 'Unable to find JobId=9999', error_number: 2017, error: 'Invalid job id specified', source: 'slurm_load_job' }], jobs: [] } };
    const c = new SlurmRestClient({ baseUrl: 'http://x', user: 'astro', tokens: new CountingTokens(), version: 'v0.0.38', fetch: fakeFetch(() => gone, []) });
    await expect(c.job('9999')).rejects.toMatchObject({ code: 'notFound', message: expect.stringContaining('JobId=9999') });
    await expect(c.cancel('9999')).resolves.toBeUndefined();
  });

  it('reports a submit error as jobs.submitFailed with the server text, non-JSON as jobs.badResponse', async () => {
    const refused = { status: 500, body: { errors: [{ error_code: 2009, error: 'Job script not specified' }] } };
    const c = new SlurmRestClient({ baseUrl: 'http://x', user: 'astro', tokens: new CountingTokens(), version: 'v0.0.38', fetch: fakeFetch(() => refused, []) });
    await expect(c.submit({})).rejects.toMatchObject({ code: 'jobs.submitFailed', message: expect.stringContaining('Job script not specified') });
    const html = new SlurmRestClient({ baseUrl: 'http://x', user: 'astro', tokens: new CountingTokens(), version: 'v0.0.38', fetch: fakeFetch(() => ({ status: 502, body: '<html>proxy</html>' }), []) });
    await expect(html.job('1')).rejects.toMatchObject({ code: 'jobs.badResponse' });
  });

  it('turns a refused connection and a silent server into jobs.backendUnreachable', async () => {
    const silent = createServer(() => {}); // accepts, never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as AddressInfo).port;
    try {
      const slow = new SlurmRestClient({ baseUrl: `http://127.0.0.1:${port}`, user: 'astro', tokens: new CountingTokens(), version: 'v0.0.38', timeoutMs: 200 });
      await expect(slow.job('1')).rejects.toMatchObject({ code: 'jobs.backendUnreachable', message: expect.stringContaining('no answer within 200 ms') });
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
    const closed = new SlurmRestClient({ baseUrl: `http://127.0.0.1:${port}`, user: 'astro', tokens: new CountingTokens(), version: 'v0.0.38' });
    await expect(closed.job('1')).rejects.toMatchObject({ code: 'jobs.backendUnreachable', message: expect.stringContaining('ECONNREFUSED') });
  });

  it('lets the caller abort (AbortError, not backendUnreachable)', async () => {
    const c = new SlurmRestClient({ baseUrl: 'http://x', user: 'astro', tokens: new CountingTokens(), version: 'v0.0.38', fetch: ((_u: unknown, init?: RequestInit) => new Promise((_r, rej) => {
      if (init?.signal?.aborted) rej(init.signal.reason);
      init?.signal?.addEventListener('abort', () => rej(init.signal?.reason));
    })) as typeof fetch });
    const ac = new AbortController();
    const p = c.job('1', ac.signal);
    ac.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });
});
