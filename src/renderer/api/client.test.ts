import { afterEach, describe, expect, it, vi } from 'vitest';

type FetchArgs = [string, RequestInit | undefined];

async function loadClient() {
  vi.resetModules();
  return import('./client');
}

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('API client over HTTP (browser mode)', () => {
  it('posts the input as JSON to /api/call/<method> and returns the value', async () => {
    const calls: FetchArgs[] = [];
    vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
      calls.push([url, init]);
      return jsonResponse({ ok: true, value: { x: 3, y: 4, value: 1.5 } });
    });
    const { call } = await loadClient();
    await expect(call('image.pixelValue', { imageId: 'abc', x: 3.2, y: 4 })).resolves.toEqual({ x: 3, y: 4, value: 1.5 });
    expect(calls[0]![0]).toBe('/api/call/image.pixelValue');
    expect(calls[0]![1]!.method).toBe('POST');
    expect(JSON.parse(calls[0]![1]!.body as string)).toEqual({ imageId: 'abc', x: 3.2, y: 4 });
  });

  it('throws a ClientError carrying the server code and message (errors travel as data with HTTP 200)', async () => {
    vi.stubGlobal('fetch', async () => jsonResponse({ ok: false, error: { code: 'fits.truncated', message: 'a.fits: ends at byte 23865' } }));
    const { call, ClientError } = await loadClient();
    const err = await call('fits.open', { path: '/x/a.fits' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientError);
    expect(err).toMatchObject({ code: 'fits.truncated', message: 'a.fits: ends at byte 23865' });
  });

  it('maps a non-JSON 401 to auth.required and an unreachable server to internal', async () => {
    vi.stubGlobal('fetch', async () => new Response('nope', { status: 401 }));
    let client = await loadClient();
    await expect(client.call('recent.list', {})).rejects.toMatchObject({ code: 'auth.required' });
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    client = await loadClient();
    await expect(client.call('recent.list', {})).rejects.toMatchObject({ code: 'internal', message: expect.stringContaining('unreachable') });
  });

  it('fetchTile reads a float32 LE body with its size headers and rejects a size mismatch', async () => {
    const values = new Float32Array([1.5, Number.NaN, -2, 1e-30, 7, 8]);
    vi.stubGlobal('fetch', async (url: string) => {
      expect(url).toBe('/tiles/img%2F1/2/3/4');
      return new Response(values.buffer.slice(0), { headers: { 'x-tile-width': '3', 'x-tile-height': '2' } });
    });
    const { fetchTile } = await loadClient();
    const tile = await fetchTile({ imageId: 'img/1', level: 2, tx: 3, ty: 4 });
    expect(tile.width).toBe(3);
    expect(tile.height).toBe(2);
    expect(Array.from(tile.data)).toEqual(Array.from(values));
    vi.stubGlobal('fetch', async () => new Response(values.buffer.slice(0), { headers: { 'x-tile-width': '4', 'x-tile-height': '2' } }));
    const again = await loadClient();
    await expect(again.fetchTile({ imageId: 'i', level: 0, tx: 0, ty: 0 })).rejects.toMatchObject({ code: 'internal' });
  });
});

describe('API client over the desktop bridge', () => {
  it('uses window.cirasa.invoke and the custom-protocol base for tiles when the bridge exists', async () => {
    const invoke = vi.fn(async () => ({ ok: true as const, value: [] }));
    const fetched: string[] = [];
    vi.stubGlobal('cirasa', { invoke, on: () => () => undefined, pathForFile: () => '/abs/x.fits', resourceBase: 'cirasa-tile://local' });
    vi.stubGlobal('fetch', async (url: string) => {
      fetched.push(url);
      return new Response(new Float32Array([1]).buffer, { headers: { 'x-tile-width': '1', 'x-tile-height': '1' } });
    });
    const client = await loadClient();
    expect(client.isDesktop).toBe(true);
    await expect(client.call('recent.list', {})).resolves.toEqual([]);
    expect(invoke).toHaveBeenCalledWith('recent.list', {});
    await client.fetchTile({ imageId: 'a', level: 0, tx: 1, ty: 2 });
    expect(fetched).toEqual(['cirasa-tile://local/tiles/a/0/1/2']);
    expect(client.desktopPathForFile({} as File)).toBe('/abs/x.fits');
  });
});
