/**
 * Detect-task results cross the worker boundary as a few typed arrays rather than objects.
 * Structured clone writes every key of every object: on a crowded 7200² map (~10⁵ islands and
 * components) cloning cost ~0.5 s of CPU in the workers and on the main thread, plus ~0.7 s of GC.
 * The arrays are copied (a memcpy each), not transferred: a transfer detaches the worker's buffers,
 * and the first detached ArrayBuffer in an isolate invalidates V8's "array buffer detaching"
 * protector, which deoptimises every optimised function that reads a typed array (~40 in a finder
 * worker, all compiled again: 0.3 s of wall and 0.7 s of CPU on the crowded 7200² map).
 * Packing is lossless (float64 holds every value, NaN and −0 included), and unpacking builds the
 * objects with the same keys in the same order as measureIsland / fitIsland, so a catalogue is the
 * same whichever side of the boundary it was found on.
 */
import type { Deferral, DetectTaskResult } from './tileTasks';
import type { Component, FitQuality, Island } from './types';

export interface PackedDetectResult {
  kind: 'detectPacked';
  /** ISLAND_FIELDS values per island. */
  islands: Float64Array;
  /** Island k's contour is contours[contourStart[k] … contourStart[k + 1]). */
  contourStart: Int32Array;
  contours: Float64Array;
  /** COMPONENT_FIELDS values per component. */
  components: Float64Array;
  deferred: Deferral[];
  searchedPixels: number;
}

const ISLAND_FIELDS = 21;
const COMPONENT_FIELDS = 27;
const QUALITIES: readonly FitQuality[] = ['ok', 'atBound', 'notConverged', 'failed'];

export function packDetectResult(r: DetectTaskResult): PackedDetectResult {
  const ni = r.islands.length;
  const islands = new Float64Array(ni * ISLAND_FIELDS);
  const contourStart = new Int32Array(ni + 1);
  let nc = 0;
  for (let k = 0; k < ni; k++) {
    contourStart[k] = nc;
    nc += r.islands[k].contour.length;
  }
  contourStart[ni] = nc;
  const contours = new Float64Array(nc);
  for (let k = 0; k < ni; k++) {
    const s = r.islands[k];
    const o = k * ISLAND_FIELDS;
    islands[o] = s.id;
    islands[o + 1] = s.npix;
    islands[o + 2] = s.peak;
    islands[o + 3] = s.peakX;
    islands[o + 4] = s.peakY;
    islands[o + 5] = s.snr;
    islands[o + 6] = s.bkgAtPeak;
    islands[o + 7] = s.rmsAtPeak;
    islands[o + 8] = s.flux;
    islands[o + 9] = s.fluxErr;
    islands[o + 10] = s.x;
    islands[o + 11] = s.y;
    islands[o + 12] = s.ellipse.majorFwhmPx;
    islands[o + 13] = s.ellipse.minorFwhmPx;
    islands[o + 14] = s.ellipse.paDeg;
    islands[o + 15] = s.bbox.xMin;
    islands[o + 16] = s.bbox.xMax;
    islands[o + 17] = s.bbox.yMin;
    islands[o + 18] = s.bbox.yMax;
    islands[o + 19] = s.flags.touchesEdge ? 1 : 0;
    islands[o + 20] = s.flags.nanNearby ? 1 : 0;
    contours.set(s.contour, contourStart[k]);
  }
  const ncomp = r.components.length;
  const components = new Float64Array(ncomp * COMPONENT_FIELDS);
  for (let k = 0; k < ncomp; k++) {
    const c = r.components[k];
    const o = k * COMPONENT_FIELDS;
    components[o] = c.id;
    components[o + 1] = c.islandId;
    components[o + 2] = c.peak;
    components[o + 3] = c.peakErr;
    components[o + 4] = c.flux;
    components[o + 5] = c.fluxErr;
    components[o + 6] = c.x;
    components[o + 7] = c.y;
    components[o + 8] = c.xErr;
    components[o + 9] = c.yErr;
    components[o + 10] = c.majorSigmaPx;
    components[o + 11] = c.minorSigmaPx;
    components[o + 12] = c.majorFwhmPx;
    components[o + 13] = c.minorFwhmPx;
    components[o + 14] = c.majorFwhmErrPx;
    components[o + 15] = c.minorFwhmErrPx;
    components[o + 16] = c.paDeg;
    components[o + 17] = c.paErrDeg;
    components[o + 18] = c.deconvMajorFwhmPx;
    components[o + 19] = c.deconvMinorFwhmPx;
    components[o + 20] = c.deconvPaDeg;
    components[o + 21] = c.snr;
    components[o + 22] = c.chi2;
    components[o + 23] = c.redChi2;
    components[o + 24] = c.iterations;
    components[o + 25] = QUALITIES.indexOf(c.fitQuality);
    components[o + 26] = c.sizeFixed ? 1 : 0;
  }
  return { kind: 'detectPacked', islands, contourStart, contours, components, deferred: r.deferred, searchedPixels: r.searchedPixels };
}

export function unpackDetectResult(p: PackedDetectResult): DetectTaskResult {
  const islands: Island[] = [];
  const I = p.islands;
  for (let k = 0, o = 0; o < I.length; k++, o += ISLAND_FIELDS) {
    islands.push({
      id: I[o],
      npix: I[o + 1],
      peak: I[o + 2],
      peakX: I[o + 3],
      peakY: I[o + 4],
      snr: I[o + 5],
      bkgAtPeak: I[o + 6],
      rmsAtPeak: I[o + 7],
      flux: I[o + 8],
      fluxErr: I[o + 9],
      x: I[o + 10],
      y: I[o + 11],
      ellipse: { majorFwhmPx: I[o + 12], minorFwhmPx: I[o + 13], paDeg: I[o + 14] },
      bbox: { xMin: I[o + 15], xMax: I[o + 16], yMin: I[o + 17], yMax: I[o + 18] },
      contour: Array.from(p.contours.subarray(p.contourStart[k], p.contourStart[k + 1])),
      flags: { touchesEdge: I[o + 19] === 1, nanNearby: I[o + 20] === 1 },
    });
  }
  const components: Component[] = [];
  const C = p.components;
  for (let o = 0; o < C.length; o += COMPONENT_FIELDS) {
    components.push({
      id: C[o],
      islandId: C[o + 1],
      peak: C[o + 2],
      peakErr: C[o + 3],
      flux: C[o + 4],
      fluxErr: C[o + 5],
      x: C[o + 6],
      y: C[o + 7],
      xErr: C[o + 8],
      yErr: C[o + 9],
      majorSigmaPx: C[o + 10],
      minorSigmaPx: C[o + 11],
      majorFwhmPx: C[o + 12],
      minorFwhmPx: C[o + 13],
      majorFwhmErrPx: C[o + 14],
      minorFwhmErrPx: C[o + 15],
      paDeg: C[o + 16],
      paErrDeg: C[o + 17],
      deconvMajorFwhmPx: C[o + 18],
      deconvMinorFwhmPx: C[o + 19],
      deconvPaDeg: C[o + 20],
      snr: C[o + 21],
      chi2: C[o + 22],
      redChi2: C[o + 23],
      iterations: C[o + 24],
      fitQuality: QUALITIES[C[o + 25]],
      sizeFixed: C[o + 26] === 1,
    });
  }
  return { kind: 'detect', islands, components, deferred: p.deferred, searchedPixels: p.searchedPixels };
}
