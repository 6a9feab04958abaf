import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeIdsBase64 } from '../../src/shared/contract/catalogues';
import { AppError } from '../../src/shared/contract/errors';
import { makeCatalogue, type Source } from '../../src/shared/domain/source';
import { geometryFromImage } from '../../src/main/catalogue';
import { regionFilter } from '../../src/main/review/regionFilter';
import { regionToPixelShape, shapeContains } from '../../src/main/review/regionFilterGeometry';
import { parseDs9Regions } from '../../src/main/review/regionFilterParse';
import { openStore, type Store } from '../../src/main/store';
import { realImage } from '../helpers/paths';

// Region filters on a synthetic catalogue laid over a real SIN image (192², 4′/px at Dec −66°, so north
// rotates across the field): image shapes against brute-force formulas written here, sky shapes and the
// include/exclude combination against astropy `regions` (`to_pixel(wcs).contains`).

const IMAGE = realImage('aegean_1904-66_SIN.fits');
const dir = mkdtempSync(join(tmpdir(), 'region-filter-'));
const N = 4000;
let store: Store;
let catId: number;
let firstId: number;
const xs: number[] = [];
const ys: number[] = [];

// Lines 3-6 image frame (1-based), then fk5; one exclusion of each kind.
const REGIONS = `# Region file format: DS9 version 4.1
global color=green
image
circle(40.5,50,12.25)
box(150,40,30,14,30) # text={rotated box}
polygon(20,120,60,110,70,160,40,175,25,150)
-ellipse(42,50,10,6,20)
fk5
ellipse(284.9625,-66.2658,1.5d,0.6d,40)
fk5;box(19:10:00,-60:00:00,2.5d,1.2d,75)
polygon(300.0,-64.0,305.0,-63.0,306.0,-66.5,299.0,-67.0)
circle(270.0,-70.0,80') # color=red
-circle(284.9625,-66.2658,40')
image;point(100,100) # point has no area
`;
const regionFile = join(dir, 'regions.reg');

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

beforeAll(() => {
  store = openStore(join(dir, 'cirasa.sqlite'));
  const r = rng(11);
  const sources: Source[] = [];
  for (let i = 0; i < N; i++) {
    const x = -5 + r() * 202, y = -5 + r() * 202;
    xs.push(x);
    ys.push(y);
    sources.push({ id: `s${i}`, name: `s${i}`, finder: 'test', type: 'point', islandId: `s${i}`, components: [], x, y });
  }
  const res = store.catalogues.import(makeCatalogue({ name: 'grid', finder: 'test', frame: 'fk5', imagePath: IMAGE, sources }));
  catId = res.catalogueId;
  firstId = store.catalogues.sources(catId, { limit: 1 })[0]!.sourceId;
  writeFileSync(regionFile, REGIONS);
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const ids = async (input: Parameters<typeof regionFilter>[1]): Promise<number[]> => {
  const r = await regionFilter(store, input);
  const a = Array.from(decodeIdsBase64(r.idsBase64));
  expect(a.length).toBe(r.count);
  return a;
};
const expectedIds = (pred: (x: number, y: number) => boolean): number[] =>
  xs.flatMap((x, i) => (pred(x, ys[i]!) ? [firstId + i] : []));

/** Crossing-number point-in-polygon, written independently of the code under test. */
function inPolygon(px: number[], py: number[], x: number, y: number): boolean {
  let c = false;
  for (let i = 0; i < px.length; i++) {
    const j = (i + px.length - 1) % px.length;
    if ((py[i]! > y) !== (py[j]! > y) && x < px[i]! + ((px[j]! - px[i]!) * (y - py[i]!)) / (py[j]! - py[i]!)) c = !c;
  }
  return c;
}

describe('catalogue.regionFilter with drawn shapes (Pixel0)', () => {
  it('circle, rotated box and polygon match brute force; exclude removes', async () => {
    const circle = (x: number, y: number) => (x - 60) ** 2 + (y - 70) ** 2 <= 25 ** 2;
    expect(await ids({ catalogueId: catId, shapes: [{ kind: 'circle', x: 60, y: 70, radius: 25 }] })).toEqual(expectedIds(circle));

    const t = (35 * Math.PI) / 180;
    const box = (x: number, y: number) => {
      const u = (x - 120) * Math.cos(t) + (y - 90) * Math.sin(t), v = -(x - 120) * Math.sin(t) + (y - 90) * Math.cos(t);
      return Math.abs(u) <= 20 && Math.abs(v) <= 8;
    };
    expect(await ids({ catalogueId: catId, shapes: [{ kind: 'box', x: 120, y: 90, width: 40, height: 16, angleDeg: 35 }] })).toEqual(expectedIds(box));

    const P: [number, number][] = [[10, 10], [90, 20], [50, 40], [95, 80], [15, 70]]; // concave
    const poly = (x: number, y: number) => inPolygon(P.map((p) => p[0]), P.map((p) => p[1]), x, y);
    const got = await ids({ catalogueId: catId, shapes: [{ kind: 'polygon', points: P }, { kind: 'circle', x: 60, y: 70, radius: 25, exclude: true }] });
    expect(got).toEqual(expectedIds((x, y) => poly(x, y) && !circle(x, y)));
    expect(got.length).toBeGreaterThan(200);
  });

  it('no region at all is a validation error; unknown catalogue is notFound', async () => {
    await expect(regionFilter(store, { catalogueId: catId })).rejects.toMatchObject({ code: 'validation' });
    await expect(regionFilter(store, { catalogueId: 9999, shapes: [{ kind: 'circle', x: 0, y: 0, radius: 1 }] })).rejects.toMatchObject({ code: 'notFound' });
  });
});

describe('catalogue.regionFilter with a DS9 file', () => {
  it('image-frame shapes are 1-based: brute force on Pixel0 + 1', async () => {
    const regions = parseDs9Regions(REGIONS, regionFile);
    expect(regions.map((r) => `${r.exclude ? '-' : ''}${r.frame}:${r.kind}`)).toEqual([
      'image:circle', 'image:box', 'image:polygon', '-image:ellipse', 'fk5:ellipse', 'fk5:box', 'fk5:polygon', 'fk5:circle', '-fk5:circle',
    ]);
    const circle = regionToPixelShape(regions[0]!, null, regionFile);
    const mask = xs.map((x, i) => shapeContains(circle, x, ys[i]!));
    expect(mask).toEqual(xs.map((x, i) => (x + 1 - 40.5) ** 2 + (ys[i]! + 1 - 50) ** 2 <= 12.25 ** 2));
    const poly = regionToPixelShape(regions[2]!, null, regionFile);
    const V = [20, 120, 60, 110, 70, 160, 40, 175, 25, 150];
    const vx = V.filter((_, k) => k % 2 === 0), vy = V.filter((_, k) => k % 2 === 1);
    expect(xs.map((x, i) => shapeContains(poly, x, ys[i]!))).toEqual(xs.map((x, i) => inPolygon(vx, vy, x + 1, ys[i]! + 1)));
  });

  it('every shape and the include/exclude result agree with astropy regions', async () => {
    const pts = join(dir, 'points.json');
    writeFileSync(pts, JSON.stringify({ x: xs, y: ys }));
    const py = spawnSync('/usr/bin/python3', ['-c', ASTROPY, regionFile, IMAGE, pts], { encoding: 'utf8' });
    expect(py.status, py.stderr).toBe(0);
    const ref = JSON.parse(py.stdout) as { masks: boolean[][]; include: boolean[] };
    const wcs = (await geometryFromImage(IMAGE)).wcs!;
    const regions = parseDs9Regions(REGIONS, regionFile);
    expect(ref.masks.length).toBe(regions.length);
    regions.forEach((r, k) => {
      const s = regionToPixelShape(r, wcs, regionFile);
      const mine = xs.map((x, i) => shapeContains(s, x, ys[i]!));
      const inside = ref.masks[k]!.filter(Boolean).length;
      expect(inside, `region ${k + 1} selects something`).toBeGreaterThan(10);
      expect(mine, `region ${k + 1} (${r.frame} ${r.kind})`).toEqual(ref.masks[k]);
    });
    const got = await ids({ catalogueId: catId, regionPath: regionFile });
    expect(got).toEqual(ref.include.flatMap((v, i) => (v ? [firstId + i] : [])));
  });

  it('sky regions need the catalogue image; bad lines name the line', async () => {
    const noImage = store.catalogues.import(makeCatalogue({
      name: 'bare', finder: 'test', frame: 'fk5', sources: [{ id: 'a', name: 'a', finder: 'test', type: 'point', islandId: 'a', components: [], x: 1, y: 1 }],
    })).catalogueId;
    await expect(regionFilter(store, { catalogueId: noImage, regionPath: regionFile })).rejects.toMatchObject({ code: 'validation' });
    const bad = join(dir, 'bad.reg');
    writeFileSync(bad, 'image\ncircle(1,2,3)\nannulus(1,2,3,4)\n');
    const err = await regionFilter(store, { catalogueId: catId, regionPath: bad }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('catalogue.parseFailed');
    expect((err as AppError).details?.line).toBe(3);
  });
});

const ASTROPY = `
import json, sys, warnings
import numpy as np
from astropy.io import fits
from astropy.wcs import WCS
from regions import Regions, PixCoord, SkyRegion
warnings.simplefilter('ignore')
reg_path, img, pts = sys.argv[1:4]
wcs = WCS(fits.getheader(img)).celestial
p = json.load(open(pts))
pc = PixCoord(np.array(p['x']), np.array(p['y']))
masks, inc, exc = [], np.zeros(len(p['x']), bool), np.zeros(len(p['x']), bool)
for r in Regions.read(reg_path, format='ds9'):
    if type(r).__name__.startswith('Point'):
        continue
    pr = r.to_pixel(wcs) if isinstance(r, SkyRegion) else r
    m = np.asarray(pr.contains(pc), bool)
    include = r.meta.get('include', True)
    if not include: m = ~m  # regions answers 'not inside' for an excluded region; we compare the geometry
    masks.append(m.tolist())
    if include: inc |= m
    else: exc |= m
print(json.dumps({'masks': masks, 'include': (inc & ~exc).tolist()}))
`;
