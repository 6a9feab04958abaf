/**
 * Extended (diffuse) emission: multi-scale detection on the residual after the compact components.
 * The residual is smoothed with Gaussians of σ = k × beam σ for each k in extendedScalesBeams
 * (NaN-aware normalized convolution), each smoothed map gets its own background/noise maps (boxes
 * scaled with the smoothing) and islands (extendedSeedSigma / extendedMergeSigma, at least one smoothed
 * beam in area). The union over scales, split into 8-connected regions, gives the extended islands;
 * compact components whose centre falls inside one are linked to it.
 *
 * In-memory only for now (the tiled run rejects these options).
 */
import { wholeImageFrame } from './background';
import { estimateBackground } from './backgroundMask';
import { islandContour } from './contour';
import { evaluateModel } from './gaussModel';
import { labelIslands } from './labelIslands';
import { paToTheta } from './measure';
import type { BackgroundMaps, BBox, BeamPx, Component, FinderOptions, ImagePlane } from './types';
import { beamAreaPx } from './types';

export interface ExtendedIsland {
  /** 1-based. */
  id: number;
  /** Smallest smoothing scale (beam units) at which it was detected, and its peak significance there. */
  scaleBeams: number;
  peakSnr: number;
  npix: number;
  /** Residual flux (Jy) over the island, i.e. without the linked compact components. */
  residualFlux: number;
  /** Flux-weighted centroid of the positive residual. */
  x: number;
  y: number;
  bbox: BBox;
  /** Outline of the island mask, closed polygon [x0, y0, x1, y1, …]. */
  contour: number[];
  /** Compact components (island id, component id) whose centre lies inside. */
  components: { islandId: number; id: number }[];
}

/** Data − background − compact model; NaN where the data or the noise is undefined. */
export function compactResidual(plane: ImagePlane, maps: BackgroundMaps, components: Component[]): Float32Array {
  const { width: w, height: h } = plane;
  const out = new Float32Array(w * h);
  for (let i = 0; i < out.length; i++) out[i] = maps.rms[i] > 0 ? plane.data[i] - maps.bkg[i] : NaN;
  for (const c of components) {
    const r = Math.ceil(6 * c.majorSigmaPx);
    const x0 = Math.max(0, Math.floor(c.x - r)), x1 = Math.min(w - 1, Math.ceil(c.x + r));
    const y0 = Math.max(0, Math.floor(c.y - r)), y1 = Math.min(h - 1, Math.ceil(c.y + r));
    const n = (x1 - x0 + 1) * (y1 - y0 + 1);
    if (n <= 0) continue;
    const xs = new Float64Array(n), ys = new Float64Array(n);
    let k = 0;
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) {
      xs[k] = x;
      ys[k++] = y;
    }
    const model = new Float64Array(n);
    const params = Float64Array.from([c.peak, c.x, c.y, c.majorSigmaPx, c.minorSigmaPx, paToTheta(c.paDeg)]);
    evaluateModel(params, { xs, ys, values: model, weights: model }, model);
    k = 0;
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) out[y * w + x] -= model[k++];
  }
  return out;
}

/** Separable Gaussian smoothing that ignores NaN (normalized convolution); NaN stays NaN. */
export function smoothNanAware(data: Float32Array, w: number, h: number, sigma: number): Float32Array {
  const r = Math.max(1, Math.ceil(4 * sigma));
  const kernel = new Float64Array(2 * r + 1);
  for (let i = -r; i <= r; i++) kernel[i + r] = Math.exp((-0.5 * i * i) / (sigma * sigma));
  const pass = (src: Float32Array, wt: Float32Array, horizontal: boolean): [Float32Array, Float32Array] => {
    const dst = new Float32Array(w * h);
    const dwt = new Float32Array(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let s = 0;
        let sw = 0;
        for (let k = -r; k <= r; k++) {
          const xx = horizontal ? x + k : x;
          const yy = horizontal ? y : y + k;
          if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
          const q = yy * w + xx;
          const kw = kernel[k + r] * wt[q];
          if (kw === 0) continue;
          s += kw * src[q];
          sw += kw;
        }
        dst[y * w + x] = s;
        dwt[y * w + x] = sw;
      }
    }
    return [dst, dwt];
  };
  const v0 = new Float32Array(w * h);
  const w0 = new Float32Array(w * h);
  for (let i = 0; i < v0.length; i++) {
    const ok = data[i] === data[i];
    v0[i] = ok ? data[i] : 0;
    w0[i] = ok ? 1 : 0;
  }
  // carry Σ k·w·v and Σ k·w through both passes, divide at the end
  const [v1, w1] = pass(v0, w0, true);
  const ones = new Float32Array(w * h).fill(1);
  const [v2] = pass(v1, ones, false);
  const [ww] = pass(w1, ones, false);
  const out = new Float32Array(w * h);
  for (let i = 0; i < out.length; i++) out[i] = w0[i] > 0 && ww[i] > 0 ? v2[i] / ww[i] : NaN;
  return out;
}

export function findExtended(
  plane: ImagePlane,
  maps: BackgroundMaps,
  components: Component[],
  beam: BeamPx,
  opts: FinderOptions,
): ExtendedIsland[] {
  const { width: w, height: h } = plane;
  const residual = compactResidual(plane, maps, components);
  const union = new Int32Array(w * h); // 0, or the smallest scale index + 1 that found the pixel
  const bestSnr = new Float32Array(w * h);
  opts.extendedScalesBeams.forEach((k, scaleIndex) => {
    const sigma = k * beam.majorSigmaPx;
    const smooth = smoothNanAware(residual, w, h, sigma);
    // the smoothed map's effective beam: the restoring beam convolved with the smoothing kernel
    const sBeam = { majorSigmaPx: Math.hypot(beam.majorSigmaPx, sigma), minorSigmaPx: Math.hypot(beam.minorSigmaPx, sigma), paDeg: beam.paDeg };
    const sPlane = { width: w, height: h, data: smooth };
    // overlapping boxes (step ≤ half a box) whatever the compact grid: the scatter of independent
    // boxes, interpolated, makes bumps of a box's size, which is the scale this search looks for
    const sBox = Math.max(6, opts.bkgBoxBeams / k);
    const sOpts = { ...opts, bkgBoxBeams: sBox, bkgGridBeams: Math.max(3, Math.min(opts.bkgGridBeams / k, sBox / 2)), seedSigma: opts.extendedSeedSigma };
    const sMaps = estimateBackground(sPlane, sBeam, sOpts);
    const minPix = Math.max(opts.minPixels, Math.round(beamAreaPx(sBeam)));
    const found = labelIslands(sPlane, sMaps, opts.extendedSeedSigma, opts.extendedMergeSigma, minPix);
    for (let p = 0; p < found.pixels.length; p++) {
      const q = found.pixels[p];
      if (union[q] === 0) union[q] = scaleIndex + 1;
      const s = (smooth[q] - sMaps.bkg[q]) / sMaps.rms[q];
      if (s > bestSnr[q]) bestSnr[q] = s;
    }
  });
  // regions of the union: flood the mask as an island map with unit significance
  const mask = new Float32Array(w * h);
  for (let i = 0; i < mask.length; i++) mask[i] = union[i] > 0 ? 1 : 0;
  const unit: BackgroundMaps = { bkg: new Float32Array(w * h), rms: new Float32Array(w * h).fill(1) };
  const maskPlane = { width: w, height: h, data: mask };
  const regions = labelIslands(maskPlane, unit, 0.5, 0.5, 1);
  const area = beamAreaPx(beam);
  const out: ExtendedIsland[] = [];
  for (let id = 1; id <= regions.count; id++) {
    let sum = 0, sw = 0, swx = 0, swy = 0, snr = 0, scale = Infinity;
    let xMin = Infinity, xMax = -Infinity, yMin = Infinity, yMax = -Infinity;
    const start = regions.offsets[id - 1];
    const end = regions.offsets[id];
    for (let k = start; k < end; k++) {
      const p = regions.pixels[k];
      const x = p % w;
      const y = (p - x) / w;
      const v = residual[p];
      if (v === v) {
        sum += v;
        if (v > 0) {
          sw += v;
          swx += v * x;
          swy += v * y;
        }
      }
      snr = Math.max(snr, bestSnr[p]);
      scale = Math.min(scale, opts.extendedScalesBeams[union[p] - 1]);
      if (x < xMin) xMin = x;
      if (x > xMax) xMax = x;
      if (y < yMin) yMin = y;
      if (y > yMax) yMax = y;
    }
    const bbox = { xMin, xMax, yMin, yMax };
    const inside = components
      .filter((c) => {
        const cx = Math.round(c.x), cy = Math.round(c.y);
        return cx >= 0 && cy >= 0 && cx < w && cy < h && regions.labels[cy * w + cx] === id;
      })
      .map((c) => ({ islandId: c.islandId, id: c.id }));
    out.push({
      id: out.length + 1,
      scaleBeams: scale,
      peakSnr: snr,
      npix: end - start,
      residualFlux: sum / area,
      x: sw > 0 ? swx / sw : (xMin + xMax) / 2,
      y: sw > 0 ? swy / sw : (yMin + yMax) / 2,
      bbox,
      contour: islandContour(maskPlane, unit, regions.labels, id, bbox, 0.5, wholeImageFrame(maskPlane)),
      components: inside,
    });
  }
  return out;
}

