import { describe, expect, it } from 'vitest';
import { handleTileRequest, registerTileScheme, serveTileProtocol, TILE_SCHEME_PRIVILEGES } from '../../src/main/transport/tileProtocol';
import { AppError } from '../../src/shared/contract/errors';
import { tilePath, type TileAddress } from '../../src/shared/contract/resources';
import { RESOURCE_BASE } from '../../src/preload/createBridge';
import type { TileReader } from '../../src/main/transport/http';

const asked: TileAddress[] = [];
const images: TileReader = {
  readTile: async (t) => {
    asked.push(t);
    if (t.imageId !== 'img 1') throw new AppError('image.notOpen', `Image ${t.imageId} is not open`);
    if (t.level > 3) throw new AppError('tiles.notFound', `No level ${t.level}`);
    if (t.tx === 99) throw new Error('disk on fire');
    // A 3×2 edge tile, read through a view with an offset to check the body slice.
    const backing = new Float32Array([-7, 1.5, -2, Number.NaN, 0, 3e-5, 65504]);
    return { width: 3, height: 2, data: backing.subarray(1) };
  },
};

describe('handleTileRequest (cirasa-tile protocol)', () => {
  it('answers a good tile as little-endian float32 with its size headers, readable cross-origin', async () => {
    const url = RESOURCE_BASE + tilePath({ imageId: 'img 1', level: 2, tx: 4, ty: 5 });
    const res = await handleTileRequest(url, images);
    expect(res.status).toBe(200);
    expect(asked.at(-1)).toEqual({ imageId: 'img 1', level: 2, tx: 4, ty: 5 });
    expect(res.headers.get('x-tile-width')).toBe('3');
    expect(res.headers.get('x-tile-height')).toBe('2');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toBe('x-tile-width, x-tile-height, x-tile-preview');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes.byteLength).toBe(6 * 4);
    const view = new DataView(bytes.buffer);
    const values = Array.from({ length: 6 }, (_, i) => view.getFloat32(i * 4, true));
    expect(values.slice(0, 2)).toEqual([1.5, -2]);
    expect(Number.isNaN(values[2])).toBe(true);
    expect(values[3]).toBe(0);
    expect(values[4]).toBeCloseTo(3e-5, 10);
    expect(values[5]).toBe(65504);
  });

  it('answers 400 with a validation Result for malformed paths and foreign URLs', async () => {
    for (const url of [
      'cirasa-tile://local/tiles/img/x/0/0',
      'cirasa-tile://local/tiles/img/0/0',
      'cirasa-tile://local/other/img/0/0/0',
      'cirasa-tile://local/tiles/%E0%A4%A/0/0/0', // broken percent-encoding
      'cirasa-tile://elsewhere/tiles/img/0/0/0',
      'https://local/tiles/img/0/0/0',
      'not a url',
    ]) {
      const res = await handleTileRequest(url, images);
      expect(res.status, url).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(await res.json(), url).toMatchObject({ ok: false, error: { code: 'validation' } });
    }
  });

  it('answers 404 for an unknown image or tile, 500 for other failures, 405 for writes', async () => {
    const unknown = await handleTileRequest('cirasa-tile://local/tiles/nope/0/0/0', images);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ ok: false, error: { code: 'image.notOpen', message: 'Image nope is not open' } });
    expect((await handleTileRequest('cirasa-tile://local/tiles/img%201/9/0/0', images)).status).toBe(404);
    const broken = await handleTileRequest('cirasa-tile://local/tiles/img%201/0/99/0', images);
    expect(broken.status).toBe(500);
    expect(await broken.json()).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect((await handleTileRequest('cirasa-tile://local/tiles/img%201/0/0/0', images, 'POST')).status).toBe(405);
  });

  it('registers the scheme as privileged and serves it through protocol.handle', async () => {
    const registered: unknown[] = [];
    registerTileScheme({ registerSchemesAsPrivileged: (s) => registered.push(...s) });
    expect(registered).toEqual([
      { scheme: 'cirasa-tile', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
    ]);
    expect(TILE_SCHEME_PRIVILEGES.scheme).toBe(RESOURCE_BASE.split(':')[0]);
    let handler: ((r: Request) => Response | Promise<Response>) | undefined;
    const stop = serveTileProtocol(
      {
        handle: (scheme, h) => {
          expect(scheme).toBe('cirasa-tile');
          handler = h;
        },
        unhandle: () => (handler = undefined),
      },
      images,
    );
    const res = await handler!(new Request('cirasa-tile://local/tiles/img%201/0/0/0'));
    expect(res.status).toBe(200);
    stop();
    expect(handler).toBeUndefined();
  });
});
