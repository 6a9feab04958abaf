import { describe, expect, it } from 'vitest';
import { estimateBackground } from './backgroundMask';
import { polygonArea } from './contour';
import { detectIslands, momentsToEllipse, thetaToPa } from './measure';
import { addGaussian, addNoise, makePlane, unitMaps } from './synthetic';
import { beamAreaPx, finderOptions, type BackgroundMaps, type ImagePlane } from './types';

const beam = { majorSigmaPx: 1.6, minorSigmaPx: 1.6, paDeg: 0 };
const opts = finderOptions();


describe('position-angle convention (north = +y, east = −x)', () => {
  it('maps pixel-frame axis angles to PA east of north', () => {
    expect(thetaToPa(Math.PI / 2)).toBeCloseTo(0); // along +y = north
    expect(thetaToPa(Math.PI)).toBeCloseTo(90); // along −x = east
    expect(thetaToPa(0)).toBeCloseTo(90); // an axis, so +x is the same line
    expect(thetaToPa((3 * Math.PI) / 4)).toBeCloseTo(45); // towards (−x, +y) = north-east
  });
  it('momentsToEllipse recovers a rotated covariance', () => {
    // major σ 3 along PA 30: direction (−sin30, cos30)
    const ux = -Math.sin(Math.PI / 6), uy = Math.cos(Math.PI / 6);
    const a = 9, b = 2.25;
    const e = momentsToEllipse(a * ux * ux + b * uy * uy, a * uy * uy + b * ux * ux, (a - b) * ux * uy);
    expect(e.majorFwhmPx / 2.3548).toBeCloseTo(3, 3);
    expect(e.minorFwhmPx / 2.3548).toBeCloseTo(1.5, 3);
    expect(e.paDeg).toBeCloseTo(30, 6);
  });
});

describe('island detection and measurements', () => {
  it('noiseless elliptical Gaussian: flux, centroid, moments ellipse and bbox', () => {
    const p = makePlane(120, 100);
    const src = { amp: 1e4, x: 50.3, y: 40.7, majorSigma: 3, minorSigma: 1.6, paDeg: 30 };
    addGaussian(p, src);
    const { islands } = detectIslands(p, unitMaps(p), beam, opts);
    expect(islands).toHaveLength(1);
    const isl = islands[0];
    const trueFlux = (1e4 * 2 * Math.PI * 3 * 1.6) / beamAreaPx(beam);
    expect(Math.abs(isl.flux / trueFlux - 1)).toBeLessThan(0.005);
    expect(isl.x).toBeCloseTo(50.3, 2);
    expect(isl.y).toBeCloseTo(40.7, 2);
    expect(isl.peakX).toBe(50);
    expect(isl.peakY).toBe(41);
    expect(isl.snr).toBeCloseTo(isl.peak, 6);
    expect(Math.abs(isl.ellipse.majorFwhmPx / (3 * 2.3548) - 1)).toBeLessThan(0.01);
    expect(Math.abs(isl.ellipse.minorFwhmPx / (1.6 * 2.3548) - 1)).toBeLessThan(0.01);
    expect(Math.abs(isl.ellipse.paDeg - 30)).toBeLessThan(0.5);
    // analytic extent of the merge-level ellipse along x and y
    const r = Math.sqrt(2 * Math.log(1e4 / opts.mergeSigma));
    const hx = r * Math.hypot(3 * Math.sin(Math.PI / 6), 1.6 * Math.cos(Math.PI / 6));
    const hy = r * Math.hypot(3 * Math.cos(Math.PI / 6), 1.6 * Math.sin(Math.PI / 6));
    expect(Math.abs(isl.bbox.xMin - (50.3 - hx))).toBeLessThan(1);
    expect(Math.abs(isl.bbox.xMax - (50.3 + hx))).toBeLessThan(1);
    expect(Math.abs(isl.bbox.yMin - (40.7 - hy))).toBeLessThan(1);
    expect(Math.abs(isl.bbox.yMax - (40.7 + hy))).toBeLessThan(1);
    expect(isl.flags).toEqual({ touchesEdge: false, nanNearby: false });
  });

  it('contour of a circular Gaussian is the analytic circle at the merge level', () => {
    const p = makePlane(64, 64);
    addGaussian(p, { amp: 100, x: 31.5, y: 30.2, majorSigma: 3, minorSigma: 3, paDeg: 0 });
    const { islands } = detectIslands(p, unitMaps(p), beam, opts);
    const c = islands[0].contour;
    const r = 3 * Math.sqrt(2 * Math.log(100 / opts.mergeSigma));
    expect(c.length).toBeGreaterThan(40);
    for (let k = 0; k < c.length; k += 2) {
      expect(Math.abs(Math.hypot(c[k] - 31.5, c[k + 1] - 30.2) - r)).toBeLessThan(0.15);
    }
    expect(Math.abs(Math.abs(polygonArea(c)) / (Math.PI * r * r) - 1)).toBeLessThan(0.02);
  });

  it('separate sources give separate islands; the min size and seed threshold apply', () => {
    const p = makePlane(100, 60);
    addGaussian(p, { amp: 20, x: 20, y: 30, majorSigma: 1.6, minorSigma: 1.6, paDeg: 0 });
    addGaussian(p, { amp: 8, x: 70, y: 30, majorSigma: 1.6, minorSigma: 1.6, paDeg: 0 });
    addGaussian(p, { amp: 4.5, x: 45, y: 10, majorSigma: 1.6, minorSigma: 1.6, paDeg: 0 }); // below the 5σ seed
    p.data[50 * 100 + 50] = 50; // a single hot pixel: 1 pixel < minPixels
    const { islands, labels } = detectIslands(p, unitMaps(p), beam, opts);
    expect(islands.map((i) => Math.round(i.x))).toEqual([20, 70]);
    expect(labels[50 * 100 + 50]).toBe(0);
    expect(detectIslands(p, unitMaps(p), beam, { ...opts, minPixels: 1 }).islands).toHaveLength(3);
  });

  it('NaN hole inside a source and a source on the edge are flagged, not crashed on', () => {
    const p = makePlane(80, 80);
    addGaussian(p, { amp: 50, x: 40, y: 40, majorSigma: 2.5, minorSigma: 2.5, paDeg: 0 });
    addGaussian(p, { amp: 50, x: 0.5, y: 60, majorSigma: 1.6, minorSigma: 1.6, paDeg: 0 });
    for (let y = 39; y <= 41; y++) for (let x = 41; x <= 42; x++) p.data[y * 80 + x] = NaN;
    const { islands } = detectIslands(p, unitMaps(p), beam, opts);
    expect(islands).toHaveLength(2);
    const hole = islands.find((i) => Math.abs(i.y - 40) < 3)!;
    const edge = islands.find((i) => Math.abs(i.y - 60) < 3)!;
    expect(hole.flags).toEqual({ touchesEdge: false, nanNearby: true });
    expect(edge.flags).toEqual({ touchesEdge: true, nanNearby: false });
    expect(Number.isFinite(hole.flux)).toBe(true);
    expect(hole.contour.length).toBeGreaterThan(8);
    expect(edge.contour.length).toBeGreaterThan(8);
  });

  it('empty (pure noise) and constant images give zero islands with estimated maps', () => {
    const noise = makePlane(300, 300);
    addNoise(noise, 1e-5, 21);
    expect(detectIslands(noise, estimateBackground(noise, beam, opts), beam, opts).islands).toHaveLength(0);
    const flat = makePlane(200, 200, 3.5);
    expect(detectIslands(flat, estimateBackground(flat, beam, opts), beam, opts).islands).toHaveLength(0);
    const zero = makePlane(200, 200);
    expect(detectIslands(zero, estimateBackground(zero, beam, opts), beam, opts).islands).toHaveLength(0);
    const blank = makePlane(50, 50, NaN);
    expect(detectIslands(blank, estimateBackground(blank, beam, opts), beam, opts).islands).toHaveLength(0);
  });
});

describe('mask dilation', () => {
  it('matches a brute-force square dilation', async () => {
    const { dilateMask } = await import('./labelIslands');
    const w = 37, h = 23;
    const mask = new Uint8Array(w * h);
    for (const [x, y] of [[0, 0], [5, 7], [36, 22], [20, 11], [21, 11], [3, 20]]) mask[y * w + x] = 1;
    for (const r of [1, 2, 4]) {
      const got = Uint8Array.from(mask);
      dilateMask(got, w, h, r);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          let want = 0;
          for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) {
            const xx = x + dx, yy = y + dy;
            if (xx >= 0 && yy >= 0 && xx < w && yy < h && mask[yy * w + xx]) want = 1;
          }
          expect(got[y * w + x]).toBe(want);
        }
      }
    }
  });
});
