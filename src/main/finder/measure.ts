/**
 * Island detection and measurements: peak, integrated flux (Σ / beam area), flux-weighted centroid,
 * second-moment ellipse, bounding box, contour and flags.
 */
import { wholeImageFrame, type PlaneFrame } from './background';
import { islandContour } from './contour';
import { labelIslands, type IslandLabels } from './labelIslands';
import type { BackgroundMaps, BeamPx, Ellipse, FinderOptions, ImagePlane, Island } from './types';
import { beamAreaPx, FWHM_PER_SIGMA } from './types';

/** Pixel-frame PA (deg E of N, north = +y, east = −x) of an axis at `thetaRad` from +x (counter-clockwise), in [0, 180). */
export function thetaToPa(thetaRad: number): number {
  return normalizePa((thetaRad * 180) / Math.PI - 90);
}

export function paToTheta(paDeg: number): number {
  return ((paDeg + 90) * Math.PI) / 180;
}

export function normalizePa(deg: number): number {
  const r = deg % 180;
  return r < 0 ? r + 180 : r;
}

/** Ellipse (FWHM, PA) of a Gaussian with second moments mxx, myy, mxy (pixels²). */
export function momentsToEllipse(mxx: number, myy: number, mxy: number): Ellipse {
  const tr = (mxx + myy) / 2;
  const det = Math.sqrt(Math.max(0, ((mxx - myy) / 2) ** 2 + mxy * mxy));
  const l1 = Math.max(0, tr + det);
  const l2 = Math.max(0, tr - det);
  return {
    majorFwhmPx: FWHM_PER_SIGMA * Math.sqrt(l1),
    minorFwhmPx: FWHM_PER_SIGMA * Math.sqrt(l2),
    paDeg: thetaToPa(0.5 * Math.atan2(2 * mxy, mxx - myy)),
  };
}

export interface DetectedIslands extends IslandLabels {
  islands: Island[];
}

/** Labels islands (seed/merge thresholds, min size) and measures each one. */
export function detectIslands(
  plane: ImagePlane,
  maps: BackgroundMaps,
  beam: BeamPx,
  opts: Pick<FinderOptions, 'seedSigma' | 'mergeSigma' | 'minPixels'>,
  frame: PlaneFrame = wholeImageFrame(plane),
): DetectedIslands {
  const found = labelIslands(plane, maps, opts.seedSigma, opts.mergeSigma, opts.minPixels);
  const islands: Island[] = [];
  for (let id = 1; id <= found.count; id++) {
    islands.push(measureIsland(plane, maps, found, id, beam, opts.mergeSigma, frame));
  }
  return { ...found, islands };
}

export function measureIsland(
  plane: ImagePlane,
  maps: BackgroundMaps,
  found: IslandLabels,
  id: number,
  beam: BeamPx,
  mergeSigma: number,
  frame: PlaneFrame = wholeImageFrame(plane),
): Island {
  // coordinates are GLOBAL (plane pixel + frame origin) in every computation, so a tile gives
  // bit-identical numbers to the whole image
  const { width: w, height: h, data } = plane;
  const ox = frame.originX;
  const oy = frame.originY;
  const { bkg, rms } = maps;
  const start = found.offsets[id - 1];
  const end = found.offsets[id];
  let peak = -Infinity;
  let peakP = -1;
  let sum = 0;
  let sumRms2 = 0;
  let sw = 0;
  let swx = 0;
  let swy = 0;
  let touchesEdge = false;
  let nanNearby = false;
  for (let k = start; k < end; k++) {
    const p = found.pixels[k];
    const lx = p % w;
    const ly = (p - lx) / w;
    const x = lx + ox;
    const y = ly + oy;
    const v = data[p] - bkg[p];
    sum += v;
    sumRms2 += rms[p] * rms[p];
    if (v > peak) {
      peak = v;
      peakP = p;
    }
    if (v > 0) {
      sw += v;
      swx += v * x;
      swy += v * y;
    }
    if (x === 0 || y === 0 || x === frame.imageWidth - 1 || y === frame.imageHeight - 1) touchesEdge = true;
    if (!nanNearby && !found.nanFree) nanNearby = hasNanNeighbour(data, w, h, lx, ly);
  }
  const cx = swx / sw;
  const cy = swy / sw;
  let mxx = 0, myy = 0, mxy = 0;
  for (let k = start; k < end; k++) {
    const p = found.pixels[k];
    const v = data[p] - bkg[p];
    if (v <= 0) continue;
    const lx = p % w;
    const dx = lx + ox - cx;
    const dy = (p - lx) / w + oy - cy;
    mxx += v * dx * dx;
    myy += v * dy * dy;
    mxy += v * dx * dy;
  }
  const area = beamAreaPx(beam);
  // global, from the plane-local box labelIslands recorded
  const b = 4 * (id - 1);
  const bbox = { xMin: found.boxes[b] + ox, xMax: found.boxes[b + 1] + ox, yMin: found.boxes[b + 2] + oy, yMax: found.boxes[b + 3] + oy };
  const npix = end - start;
  const peakLx = peakP % w;
  return {
    id,
    npix,
    peak,
    peakX: peakLx + ox,
    peakY: (peakP - peakLx) / w + oy,
    snr: peak / rms[peakP],
    bkgAtPeak: bkg[peakP],
    rmsAtPeak: rms[peakP],
    flux: sum / area,
    // noise correlated over one beam (radio images): var(Σ) ≈ Σ rms² × beam area
    fluxErr: Math.sqrt(sumRms2 * Math.max(1, area)) / area,
    x: cx,
    y: cy,
    ellipse: momentsToEllipse(mxx / sw, myy / sw, mxy / sw),
    bbox,
    contour: islandContour(plane, maps, found.labels, id, bbox, mergeSigma, frame),
    flags: { touchesEdge, nanNearby },
  };
}

function hasNanNeighbour(data: Float32Array, w: number, h: number, x: number, y: number): boolean {
  for (let dy = -1; dy <= 1; dy++) {
    const yy = y + dy;
    if (yy < 0 || yy >= h) continue;
    for (let dx = -1; dx <= 1; dx++) {
      const xx = x + dx;
      if (xx < 0 || xx >= w) continue;
      if (Number.isNaN(data[yy * w + xx])) return true;
    }
  }
  return false;
}
