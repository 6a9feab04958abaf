import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src/main/app/createServices';
import { writeFitsImage } from '../../src/main/fits/writer';
import { bindContract } from '../../src/main/transport/bindContract';
import { startHttpServer, type RunningHttpServer } from '../../src/main/transport/http';
import { handleTileRequest } from '../../src/main/transport/tileProtocol';
import { decodeOverlay, decodeOverlayColumn } from '../../src/shared/contract/catalogues';
import { overlayPath } from '../../src/shared/contract/resources';
import type { Result } from '../../src/shared/contract/errors';
import type { HeaderCard } from '../../src/shared/contract/images';
import { makeCatalogue, type Source } from '../../src/shared/domain/source';

// The overlay through the real composition root: ellipse angles converted from PA with the image WCS
// (analytic truth on a north-up image, astropy on a rotated one), and the HTTP + protocol routes with auth.

const PYTHON = '/usr/bin/python3';
const hasAstropy = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import astropy'], { encoding: 'utf8' }).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'review-overlay-'));
const token = 'overlay-token';
const auth = { authorization: `Bearer ${token}` };
let services: Services;
let server: RunningHttpServer;

const SCALE_ARCSEC = 2;
function wcsCards(rotDeg: number): HeaderCard[] {
  const c = Math.cos((rotDeg * Math.PI) / 180), s = Math.sin((rotDeg * Math.PI) / 180);
  return [
    { key: 'CTYPE1', value: 'RA---TAN' }, { key: 'CTYPE2', value: 'DEC--TAN' },
    { key: 'CRPIX1', value: 32.5 }, { key: 'CRPIX2', value: 32.5 }, { key: 'CRVAL1', value: 150 }, { key: 'CRVAL2', value: -30 },
    { key: 'CDELT1', value: -SCALE_ARCSEC / 3600 }, { key: 'CDELT2', value: SCALE_ARCSEC / 3600 },
    { key: 'PC1_1', value: c }, { key: 'PC1_2', value: -s }, { key: 'PC2_1', value: s }, { key: 'PC2_2', value: c },
    { key: 'RADESYS', value: 'FK5' }, { key: 'EQUINOX', value: 2000 },
    { key: 'BMAJ', value: 6 / 3600 }, { key: 'BMIN', value: 5 / 3600 }, { key: 'BPA', value: 0 }, { key: 'BUNIT', value: 'Jy/beam' },
  ];
}
const PAS = [0, 45, 100, 170];
const POS: [number, number][] = [[31.5, 31.5], [10, 50], [55, 8], [40, 40]];

/** A native-JSON catalogue whose ellipses carry only sky PA and arcsec axes (no pixel angle): the server must convert. */
function writeCatalogue(path: string): void {
  const sources: Source[] = PAS.map((pa, i) => ({
    id: `S${i + 1}`, name: `S${i + 1}`, finder: 'test', type: 'point', islandId: `I${i + 1}`,
    x: POS[i]![0], y: POS[i]![1], flux: 0.01 * (i + 1), snr: 10 + i, bmajArcsec: 10, bminArcsec: 6, paDeg: pa, components: [],
  }));
  writeFileSync(path, JSON.stringify({ cirasaCatalogue: 1, catalogue: makeCatalogue({ name: 'pa test', finder: 'test', sources }) }));
}

interface Reply {
  status: number;
  body: Buffer;
}
function send(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}
async function call<T>(method: string, input: unknown): Promise<T> {
  const r = await send(`${server.origin}/api/call/${method}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(input) });
  const res = JSON.parse(r.body.toString()) as Result<T>;
  if (!res.ok) throw new Error(`${method}: ${res.error.code} ${res.error.message}`);
  return res.value;
}
const decode = (b: Buffer) => decodeOverlay(new Uint8Array(b).buffer);

beforeAll(async () => {
  const blank = new Float32Array(64 * 64);
  await writeFitsImage(join(dir, 'north.fits'), { width: 64, height: 64, cards: wcsCards(0), data: blank });
  await writeFitsImage(join(dir, 'rot30.fits'), { width: 64, height: 64, cards: wcsCards(30), data: blank });
  writeCatalogue(join(dir, 'pa.json'));
  services = await createServices({ mode: 'web', dataDir: join(dir, 'data'), noSample: true });
  server = await startHttpServer({
    host: '127.0.0.1', port: 0, token, dispatch: bindContract(services.handlers), events: services.events,
    tiles: services.images, overlays: services.catalogues!, staticDir: null, uploadDir: join(dir, 'uploads'),
  });
});
afterAll(async () => {
  await server.close();
  await services.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('overlay angles from PA through the image WCS', () => {
  it('north-up east-left image: PA 0 → along +y (90°), PA 45 → 135°; axes from arcsec to pixels', async () => {
    const cat = await call<{ catalogueId: number }>('catalogue.import', { path: join(dir, 'pa.json'), imagePath: join(dir, 'north.fits') });
    const o = decode(await services.catalogues!.overlay(cat.catalogueId));
    const want = PAS.map((pa) => (pa + 90) % 180);
    // TAN away from the reference pixel turns north slightly; 0.05° bounds that over this 64-pixel field.
    for (let i = 0; i < PAS.length; i++) {
      const d = Math.abs(((o.angleDeg[i]! - want[i]! + 270) % 180) - 90);
      expect(d, `PA ${PAS[i]}`).toBeLessThan(0.05);
    }
    expect(Math.abs(o.angleDeg[0]! - 90)).toBeLessThan(1e-6); // at the reference pixel: exact
    expect(o.majorPx[0]).toBeCloseTo(10 / SCALE_ARCSEC, 4);
    expect(o.minorPx[0]).toBeCloseTo(6 / SCALE_ARCSEC, 4);
  });

  it.skipIf(!hasAstropy)('rotated image: angles agree with astropy (offset along the PA, back to pixels)', async () => {
    const cat = await call<{ catalogueId: number }>('catalogue.import', { path: join(dir, 'pa.json'), imagePath: join(dir, 'rot30.fits') });
    const o = decode(await services.catalogues!.overlay(cat.catalogueId));
    const script = `
import json, sys, math
from astropy.io import fits
from astropy.wcs import WCS
import astropy.units as u
w = WCS(fits.getheader(sys.argv[1]))
out = []
for (x, y), pa in zip(json.loads(sys.argv[2]), json.loads(sys.argv[3])):
    c = w.pixel_to_world(x, y)
    d = c.directional_offset_by(pa * u.deg, 0.01 * u.arcsec)
    x2, y2 = w.world_to_pixel(d)
    out.append(math.degrees(math.atan2(float(y2) - y, float(x2) - x)) % 180)
print(json.dumps(out))`;
    const r = spawnSync(PYTHON, ['-c', script, join(dir, 'rot30.fits'), JSON.stringify(POS), JSON.stringify(PAS)], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const want = JSON.parse(r.stdout) as number[];
    for (let i = 0; i < PAS.length; i++) {
      const d = Math.abs(((o.angleDeg[i]! - want[i]! + 270) % 180) - 90);
      expect(d, `PA ${PAS[i]}: ours ${o.angleDeg[i]} astropy ${want[i]}`).toBeLessThan(1e-3);
    }
    // Sanity: the rotation really moved the angles away from the north-up answer.
    expect(Math.abs(want[0]! - 90)).toBeGreaterThan(20);
  });
});

describe('overlay routes', () => {
  it('HTTP: needs auth, answers the packed body, filters, reflects labels, maps errors to 400/404', async () => {
    const cat = (await call<{ catalogueId: number }[]>('catalogue.list', {}))[0]!;
    const path = overlayPath(cat.catalogueId);
    expect((await send(`${server.origin}${path}`)).status).toBe(401);
    const all = await send(`${server.origin}${path}`, { headers: auth });
    expect(all.status).toBe(200);
    const o = decode(all.body);
    expect(Array.from(o.ids)).toHaveLength(4);
    expect(Array.from(o.labelCode)).toEqual([0, 0, 0, 0]);
    await call('labels.set', { sourceIds: [o.ids[1], o.ids[2]], field: 'sourceness', value: 'REAL' });
    const filtered = decode((await send(`${server.origin}${overlayPath(cat.catalogueId, "label = 'real' && snr >= 12")}`, { headers: auth })).body);
    expect(Array.from(filtered.ids)).toEqual([o.ids[2]]);
    expect(Array.from(filtered.labelCode)).toEqual([1]);
    const bad = await send(`${server.origin}${overlayPath(cat.catalogueId, 'snr >')}`, { headers: auth });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body.toString()).error).toMatchObject({ code: 'filter.parseFailed', details: { position: 5 } });
    expect((await send(`${server.origin}${overlayPath(999)}`, { headers: auth })).status).toBe(404);
    expect((await send(`${server.origin}/catalogues/x/overlay`, { headers: auth })).status).toBe(400);
  });

  it('Electron protocol: cirasa-tile://local/catalogues/<id>/overlay serves the same bytes', async () => {
    const cat = (await call<{ catalogueId: number }[]>('catalogue.list', {}))[0]!;
    const viaHttp = (await send(`${server.origin}${overlayPath(cat.catalogueId, 'snr > 10')}`, { headers: auth })).body;
    const res = await handleTileRequest(`cirasa-tile://local${overlayPath(cat.catalogueId, 'snr > 10')}`, services.images, 'GET', services.catalogues!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await res.arrayBuffer()).equals(viaHttp)).toBe(true);
    expect((await handleTileRequest('cirasa-tile://local/catalogues/999/overlay', services.images, 'GET', services.catalogues!)).status).toBe(404);
  });
});

describe('overlay column (colour and size rules read it in one fetch)', () => {
  it('one Float32 per overlay entry, in the overlay order, for the same filter; NaN where missing; non-numeric columns refused', async () => {
    const cat = (await call<{ catalogueId: number }[]>('catalogue.list', {}))[0]!;
    const get = async (filter?: string, column?: string) => send(`${server.origin}${overlayPath(cat.catalogueId, filter, column)}`, { headers: auth });
    const o = decode((await get()).body);
    const snr = decodeOverlayColumn(new Uint8Array((await get(undefined, 'snr')).body).buffer);
    expect(Array.from(snr)).toEqual([10, 11, 12, 13]);
    const flux = decodeOverlayColumn(new Uint8Array((await get(undefined, 'flux')).body).buffer);
    expect(Array.from(flux)).toEqual([0.01, 0.02, 0.03, 0.04].map(Math.fround));
    // Same filter → same entries as the overlay body of that filter, value by value.
    const filtered = decode((await get('snr >= 12')).body);
    const filteredSnr = decodeOverlayColumn(new Uint8Array((await get('snr >= 12', 'SNR')).body).buffer);
    expect(filteredSnr.length).toBe(filtered.ids.length);
    expect(Array.from(filteredSnr)).toEqual(Array.from(filtered.ids, (id) => 10 + Array.from(o.ids).indexOf(id)));
    const peak = decodeOverlayColumn(new Uint8Array((await get(undefined, 'peak')).body).buffer);
    expect(Array.from(peak).every(Number.isNaN)).toBe(true); // the fixture has no peak
    for (const bad of ['name', 'sourceness', 'nope']) {
      const r = await get(undefined, bad);
      expect(r.status, bad).toBe(400);
      expect(JSON.parse(r.body.toString()).error.code).toBe('validation');
    }
    // A computed column of the catalogue reads the same way.
    await call('columns.define', { catalogueId: cat.catalogueId, name: 'snr_x2', expression: 'snr * 2' });
    const computed = decodeOverlayColumn(new Uint8Array((await get('snr >= 12', 'snr_x2')).body).buffer);
    expect(Array.from(computed)).toEqual([24, 26]);
    const viaProtocol = await handleTileRequest(`cirasa-tile://local${overlayPath(cat.catalogueId, 'snr >= 12', 'snr')}`, services.images, 'GET', services.catalogues!);
    expect(Buffer.from(await viaProtocol.arrayBuffer()).equals((await get('snr >= 12', 'snr')).body)).toBe(true);
  });
});
