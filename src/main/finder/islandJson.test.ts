/**
 * The islands' JSON built as the tile results arrive and joined after the merge, against the writer it
 * replaces (`writeCatalogueJson` on the merged, controlled result): same bytes but for `createdAt`,
 * on a field with several tiles, deferred islands, islands dropped by the BH rule and components
 * dropped by `minFluxSnr` (some islands keep others).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Beam } from '../../shared/contract/images';
import { parseWcs } from '../wcs';
import { writeCatalogueJson } from './catalogueJson';
import { writeCatalogueJsonFromIslands } from './islandJson';
import { addGaussian, addNoise, makePlane, makeRng } from './synthetic';
import { runFinderTiled } from './tiledFinder';
import type { FinderOptions } from './types';
import { FWHM_PER_SIGMA } from './types';

const dir = mkdtempSync(join(tmpdir(), 'cirasa-islandjson-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const W = 300;
const H = 260;
const PIX_DEG = 2 / 3600;
const header = { NAXIS: 2, NAXIS1: W, NAXIS2: H, CTYPE1: 'RA---SIN', CTYPE2: 'DEC--SIN', CRVAL1: 150, CRVAL2: -30, CRPIX1: 150.5, CRPIX2: 130.5, CDELT1: -PIX_DEG, CDELT2: PIX_DEG };
const beamPx = { majorSigmaPx: 1.6, minorSigmaPx: 1.6, paDeg: 0 };
const beam: Beam = { bmajDeg: 1.6 * FWHM_PER_SIGMA * PIX_DEG, bminDeg: 1.6 * FWHM_PER_SIGMA * PIX_DEG, bpaDeg: 0, source: 'BMAJ' };

/** Faint and bright point sources, blends, a source larger than a tile (deferred), an edge source. */
function field(): Float32Array {
  const plane = makePlane(W, H);
  plane.data = new Float32Array(new SharedArrayBuffer(W * H * 4));
  addNoise(plane, 1, 5);
  const rng = makeRng(6);
  for (let k = 0; k < 150; k++) addGaussian(plane, { amp: 4 + 30 * rng() ** 3, x: rng() * W, y: rng() * H, majorSigma: 1.6 * (1 + rng()), minorSigma: 1.6, paDeg: 180 * rng() });
  addGaussian(plane, { amp: 30, x: 128, y: 130, majorSigma: 20, minorSigma: 7, paDeg: 35 });
  addGaussian(plane, { amp: 40, x: 0.5, y: 100, majorSigma: 2, minorSigma: 2, paDeg: 0 });
  return plane.data;
}

describe('catalogue JSON built per tile result', () => {
  const data = field();
  const spec = { kind: 'memory' as const, width: W, height: H, data };
  // a strict rate and flux rule, so both parts of the control drop something here
  const opts: Partial<FinderOptions> = { falseDetectionRate: 1e-5, minFluxSnr: 4 };
  const info = { name: 'cat.json', imagePath: 'synthetic.fits', wcs: parseWcs(header, 'synthetic.fits'), beam, parameters: { tileSize: 80 } };
  const normalized = (path: string): string => readFileSync(path, 'utf8').replace(/"createdAt":"[^"]*"/, '"createdAt":""');

  for (const threads of [0, 2]) {
    it(`equals writeCatalogueJson byte for byte (${threads} worker threads, tile 80)`, async () => {
      const plain = await runFinderTiled(spec, beamPx, opts, { tileSize: 80, threads });
      const result = await runFinderTiled(spec, beamPx, opts, { tileSize: 80, threads, catalogueJson: { wcs: parseWcs(header, 'synthetic.fits'), beam } });
      // the field exercises every case
      const control = result.falseDetections!;
      expect(result.deferred).toBeGreaterThan(0);
      expect(result.tiles).toBeGreaterThan(8);
      expect(control.kept).toBeLessThan(control.candidates);
      expect(control.unmeasuredComponents).toBeGreaterThan(0);
      expect(result.islands.length).toBeGreaterThan(50);
      // building the texts changes nothing in the result
      expect(result.islands).toEqual(plain.islands.map((isl) => ({ ...isl, contour: [] })));
      expect(result.components).toEqual(plain.components);
      expect(plain.islandJson).toBeUndefined();

      const viaIslands = join(dir, `islands-${threads}.json`);
      const viaObjects = join(dir, `objects-${threads}.json`);
      expect(await writeCatalogueJsonFromIslands(result, info, result.islandJson!, viaIslands)).toBe(true);
      writeCatalogueJson(plain, info, viaObjects);
      const text = normalized(viaIslands);
      expect(text).toBe(normalized(viaObjects));
      expect(text).not.toContain('999999999');
      expect(JSON.parse(text).catalogue.sources).toHaveLength(result.islands.length);
      // joined and written in many small turns (two buffers alternating, a source larger than one)
      const inTurns = join(dir, `turns-${threads}.json`);
      expect(await writeCatalogueJsonFromIslands(result, info, result.islandJson!, inTurns, 700)).toBe(true);
      expect(normalized(inTurns)).toBe(text);
    });
  }

  it('falls back (writes nothing) when an island has no text', async () => {
    const result = await runFinderTiled(spec, beamPx, opts, { tileSize: 100, catalogueJson: { wcs: parseWcs(header, 'synthetic.fits'), beam } });
    const out = join(dir, 'missing.json');
    const partial = { ...result, islands: [...result.islands, { ...result.islands[0], peakX: -5 }] };
    expect(await writeCatalogueJsonFromIslands(partial, info, result.islandJson!, out)).toBe(false);
    expect(() => readFileSync(out)).toThrow();
  });
});
