/**
 * The direct catalogue JSON writer against the reference path it replaces: the JSON exporter on
 * `toCatalogue` — same bytes but for `createdAt` (compact sources streamed; with extended islands).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { realImage } from '../../../test/helpers/paths';
import { exportCatalogue } from '../export';
import { openFitsImage } from '../fits';
import { parseWcs } from '../wcs';
import { sourcesJsonBytes, writeCatalogueJson } from './catalogueJson';
import { writeContourJson, writeJsonNumber } from './catalogueNumbers';
import { runFinder } from './runFinder';
import { toCatalogue } from './toCatalogue';
import { FWHM_PER_SIGMA } from './types';

const dir = mkdtempSync(join(tmpdir(), 'cirasa-catjson-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const IMAGE = realImage('aegean_1904-66_SIN.fits');

/** writeJsonNumber / writeContourJson as text. */
const jsonNumber = (v: number): string => {
  const buf = new Uint8Array(32);
  return Buffer.from(buf.subarray(0, writeJsonNumber(v, buf, 0))).toString('latin1');
};
const contourJson = (flat: number[]): string => {
  const buf = new Uint8Array(2 + 26 * flat.length);
  return Buffer.from(buf.subarray(0, writeContourJson(flat, buf, 0))).toString('latin1');
};

describe('writeJsonNumber / writeContourJson', () => {
  it('writes numbers exactly as JSON.stringify (k/1000 fast path and the rest)', () => {
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const values = [0, -0, 0.5, -0.5, 1, -1, 0.001, -0.001, 0.01, 0.1, 0.12, 1.2, 1000, 7199.999, 1e-7, Math.PI, NaN, Infinity, 1e300, 0.1 + 0.2];
    for (let i = 0; i < 20000; i++) values.push(Math.round((rnd() - 0.2) * 8e6) / 1000, (rnd() - 0.5) * 1e4);
    for (const v of values) expect(jsonNumber(v)).toBe(JSON.stringify(v));
    const flat = values.slice(0, 200);
    const pairs: number[][] = [];
    for (let k = 0; k + 1 < flat.length; k += 2) pairs.push([flat[k], flat[k + 1]]);
    expect(contourJson(flat)).toBe(JSON.stringify(pairs));
    expect(contourJson([])).toBe('[]');
  });

  it('writes contour bytes equal to the JSON text of the pairs, within the room it asks for', () => {
    let seed = 11;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const flat = [0, -0, 0.5, -0.5, 0.001, -0.001, 0.05, 0.005, 0.51, 0.501, 1000, -1000.01, 7199.999, 123456789.5, 1e-7, -1e-300, Math.PI, NaN, Infinity, -Infinity, 1e300, 0.1 + 0.2];
    for (let i = 0; i < 20000; i++) flat.push(Math.round((rnd() - 0.2) * 8e6) / 1000, (rnd() - 0.5) * 1e4);
    const pairs: number[][] = [];
    for (let k = 0; k + 1 < flat.length; k += 2) pairs.push([flat[k], flat[k + 1]]);
    const room = 2 + 26 * flat.length;
    const buf = new Uint8Array(5 + room).fill(0x7e);
    const end = writeContourJson(flat, buf, 5);
    expect(end - 5).toBeLessThanOrEqual(room);
    expect(Buffer.from(buf.subarray(5, end)).toString('latin1')).toBe(JSON.stringify(pairs));
    expect(buf[4]).toBe(0x7e);
    expect(Buffer.from(buf.subarray(0, writeContourJson([], buf, 0))).toString()).toBe('[]');
  });
});

describe.skipIf(!existsSync(IMAGE))('catalogue JSON writer on a real map', () => {
  it('writes the bytes of the JSON exporter on toCatalogue, with and without extended islands', async () => {
    const image = await openFitsImage(IMAGE);
    const data = await image.readRows(0, image.height);
    const cards = image.header.values;
    await image.close();
    const pixDeg = Math.abs(image.header.getNumber('CDELT2')!);
    const beam = { majorSigmaPx: image.beam!.bmajDeg / pixDeg / FWHM_PER_SIGMA, minorSigmaPx: image.beam!.bminDeg / pixDeg / FWHM_PER_SIGMA, paDeg: image.beam!.bpaDeg };
    const result = runFinder({ width: image.width, height: image.height, data }, beam);
    expect(result.islands.length).toBeGreaterThan(20);
    const info = { name: 'cat.json', imagePath: IMAGE, wcs: parseWcs(cards, IMAGE), beam: image.beam!, parameters: { seedSigma: 5 } };
    const read = (name: string): string => readFileSync(join(dir, name), 'utf8').replace(/"createdAt":"[^"]*"/, '');
    await exportCatalogue(toCatalogue(result, info), 'json', join(dir, 'ref.json'));
    writeCatalogueJson(result, info, join(dir, 'one.json'));
    const ref = read('ref.json');
    expect(ref).toContain('"contour":[[');
    expect(read('one.json')).toBe(ref);
    // the streamed form (flushed every ~1 kB here, 4 MB in the writer) = the one-buffer form
    const parts: Uint8Array[] = [];
    const rest = sourcesJsonBytes(result, info, (b) => parts.push(b.slice()), 1000);
    expect(parts.length).toBeGreaterThan(5);
    expect(Buffer.concat([...parts, rest]).toString('utf8')).toBe(Buffer.from(sourcesJsonBytes(result, info)).toString('utf8'));
    // an extended island linked to the first island's component: parentId set after the sources are built
    const [isl] = result.islands;
    const withExtended = {
      ...result,
      extended: [{ id: 1, scaleBeams: 4, peakSnr: 7.5, npix: 120, residualFlux: 0.0123, x: isl.x + 0.25, y: isl.y - 0.5, bbox: isl.bbox, contour: [1.5, 2.25, 3.125, 4, 1.5, 2.25], components: [{ islandId: isl.id, id: 1 }] }],
    };
    await exportCatalogue(toCatalogue(withExtended, info), 'json', join(dir, 'refExt.json'));
    writeCatalogueJson(withExtended, info, join(dir, 'ext.json'));
    const refExt = read('refExt.json');
    expect(refExt).toContain('"parentId":"E1"');
    expect(read('ext.json')).toBe(refExt);
  }, 60_000);
});
