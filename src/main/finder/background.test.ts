import { describe, expect, it } from 'vitest';
import { computeNodes, gridGeometry, wholeImageFrame } from './background';
import { backgroundMask, estimateBackground, maskMarginPx } from './backgroundMask';
import { interpolateGrid } from './gridInterpolation';
import { median } from './robustStats';
import { addGaussian, addNoise, makePlane, makeRng } from './synthetic';
import { finderOptions, type ImagePlane } from './types';

// 15" beam on 4" pixels: FWHM 3.75 px
const beam = { majorSigmaPx: 1.6, minorSigmaPx: 1.6, paDeg: 0 };

function medianOf(a: Float32Array): number {
  return median(Float32Array.from(a), a.length);
}

/** A field where Euclidean-count sources (S/N ≥ 5) put ≥ 1/3 of the pixels in wings of 0.2–5 σ. */
function crowdedField(): { plane: ImagePlane; wingFraction: number } {
  const w = 512;
  const plane = makePlane(w, w);
  addNoise(plane, 1, 7);
  const truth = makePlane(w, w);
  const rng = makeRng(11);
  for (let k = 0; k < 4000; k++) {
    const s = { amp: Math.min(1000, 5 * rng() ** (-1 / 1.5)), x: rng() * w, y: rng() * w, majorSigma: 1.6, minorSigma: 1.6, paDeg: 0 };
    addGaussian(plane, s);
    addGaussian(truth, s);
  }
  let wing = 0;
  for (const v of truth.data) if (v > 0.2 && v < 5) wing++;
  return { plane, wingFraction: wing / truth.data.length };
}

describe('background and noise maps', () => {
  it('pure noise: rms within 2 % and background within 0.05 σ everywhere-ish', () => {
    const plane = makePlane(600, 500, 10);
    addNoise(plane, 0.5, 1);
    const est = estimateBackground(plane, beam, finderOptions());
    expect(Math.abs(medianOf(est.rms) / 0.5 - 1)).toBeLessThan(0.02);
    expect(Math.abs(medianOf(est.bkg) - 10)).toBeLessThan(0.025);
    // bilinear maps of per-box estimates: every sampled pixel within 12 %, 15 % near the edges (edge boxes
    // hold a quarter of the pixels), none NaN. Boxes are sampled every half beam: a quarter of the pixels,
    // which costs this WHITE noise half its precision (~3 % per box); beam-correlated radio noise keeps ~90 %.
    const half = gridGeometry(beam, finderOptions()).box / 2;
    for (let i = 0; i < est.rms.length; i += 97) {
      const x = i % 600, y = Math.floor(i / 600);
      const edge = x < half || y < half || x > 600 - half || y > 500 - half;
      expect(Math.abs(est.rms[i] / 0.5 - 1)).toBeLessThan(edge ? 0.15 : 0.12);
    }
    expect(est.maskedFraction).toBe(0);
  });

  it('crowded field: naive rms is ≥ 30 % high, masked iteration brings it within 10 %', () => {
    const { plane, wingFraction } = crowdedField();
    expect(wingFraction).toBeGreaterThan(1 / 3);
    const naive = estimateBackground(plane, beam, finderOptions({ bkgMaskIterations: 0 }));
    const masked = estimateBackground(plane, beam, finderOptions());
    const naiveRms = medianOf(naive.rms);
    const maskedRms = medianOf(masked.rms);
    expect(naiveRms).toBeGreaterThan(1.3);
    expect(Math.abs(maskedRms - 1)).toBeLessThan(0.1);
    expect(Math.abs(medianOf(masked.bkg))).toBeLessThan(0.1);
  });

  it('biweight estimator also gives the pure-noise rms within 2 %', () => {
    const plane = makePlane(400, 400);
    addNoise(plane, 2, 4);
    const est = estimateBackground(plane, beam, finderOptions({ rmsEstimator: 'biweight' }));
    expect(Math.abs(medianOf(est.rms) / 2 - 1)).toBeLessThan(0.02);
  });

  it('follows a linear background gradient (bilinear between nodes)', () => {
    const plane = makePlane(400, 300);
    for (let y = 0; y < 300; y++) for (let x = 0; x < 400; x++) plane.data[y * 400 + x] = 0.01 * x + 0.02 * y;
    addNoise(plane, 0.1, 2);
    const est = estimateBackground(plane, beam, finderOptions());
    for (const [x, y] of [[100, 100], [200, 150], [300, 200]]) {
      expect(Math.abs(est.bkg[y * 400 + x] - (0.01 * x + 0.02 * y))).toBeLessThan(0.03);
    }
  });

  it('NaN regions and an all-NaN image do not break the maps', () => {
    const plane = makePlane(300, 300);
    addNoise(plane, 1, 3);
    for (let y = 0; y < 300; y++) for (let x = 0; x < 120; x++) plane.data[y * 300 + x] = NaN;
    const est = estimateBackground(plane, beam, finderOptions());
    for (let i = 0; i < est.rms.length; i += 31) expect(Number.isFinite(est.rms[i])).toBe(true);
    expect(Math.abs(medianOf(est.rms) - 1)).toBeLessThan(0.05);
    const blank = makePlane(100, 100, NaN);
    const none = estimateBackground(blank, beam, finderOptions());
    expect(Number.isNaN(none.rms[0])).toBe(true);
  });

  // overlapping boxes (step = half a box) and the default grid (step = box)
  it.each([
    { gridBeams: 10, nodes: { x0: 3, y0: 3, width: 4, height: 3 } },
    { gridBeams: 20, nodes: { x0: 2, y0: 1, width: 2, height: 2 } },
  ])('a tile holding the boxes computes its nodes and maps bit-for-bit like the whole image (global grid, step $gridBeams beams)', ({ gridBeams, nodes }) => {
    const w = 400;
    const plane = makePlane(w, w);
    addNoise(plane, 1, 8);
    addGaussian(plane, { amp: 40, x: 210, y: 190, majorSigma: 3, minorSigma: 2, paDeg: 10 });
    const opts = finderOptions({ bkgGridBeams: gridBeams });
    const whole = estimateBackground(plane, beam, opts);
    const geom = gridGeometry(beam, opts);
    // the nodes and the plane holding their boxes plus the mask margin
    const margin = Math.ceil(geom.box / 2) + maskMarginPx(beam, opts);
    const tx = nodes.x0 * geom.step - margin, ty = nodes.y0 * geom.step - margin;
    const tw = (nodes.width - 1) * geom.step + 2 * margin + 1, th = (nodes.height - 1) * geom.step + 2 * margin + 1;
    expect(tx).toBeGreaterThan(0);
    expect(tx + tw).toBeLessThan(w);
    const tile = makePlane(tw, th);
    for (let y = 0; y < th; y++) tile.data.set(plane.data.subarray((ty + y) * w + tx, (ty + y) * w + tx + tw), y * tw);
    const frame = { originX: tx, originY: ty, imageWidth: w, imageHeight: w };
    // the masked pass in the tile uses the previous global grid, here the whole image's final one
    const maps = interpolateGrid(whole.grid, tile, frame);
    for (let y = 0; y < th; y += 5) {
      for (let x = 0; x < tw; x += 5) {
        expect(maps.rms[y * tw + x]).toBe(whole.rms[(ty + y) * w + tx + x]);
        expect(maps.bkg[y * tw + x]).toBe(whole.bkg[(ty + y) * w + tx + x]);
      }
    }
    const wholeMask = backgroundMask(plane, wholeImageFrame(plane), whole, beam, opts).mask;
    const tileMask = backgroundMask(tile, frame, maps, beam, opts).mask;
    expect(tileMask.bits.some((v) => v === 1)).toBe(true);
    const part = computeNodes(tile, frame, geom, nodes, opts, tileMask, whole.grid);
    const ref = computeNodes(plane, wholeImageFrame(plane), geom, nodes, opts, wholeMask, whole.grid);
    expect(Array.from(part.rms)).toEqual(Array.from(ref.rms));
    expect(Array.from(part.bkg)).toEqual(Array.from(ref.bkg));
  });
});

describe('grid median filter', () => {
  it('removes a single outlier node and keeps a plane', async () => {
    const { filterGrid } = await import('./background');
    const nx = 5, ny = 4;
    const bkg = new Float32Array(nx * ny);
    const rms = new Float32Array(nx * ny);
    for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
      bkg[j * nx + i] = i + 2 * j; // a plane: the 3×3 median of a plane is the centre value inside
      rms[j * nx + i] = 1;
    }
    rms[2 * nx + 2] = 10;
    const grid = { box: 10, step: 5, stride: 1, i0: 0, j0: 0, nx, ny, bkg, rms };
    filterGrid(grid, 3);
    expect(rms[2 * nx + 2]).toBe(1);
    expect(bkg[1 * nx + 2]).toBe(2 + 2);
    expect(bkg[2 * nx + 3]).toBe(3 + 4);
  });
});
