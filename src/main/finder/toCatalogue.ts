/**
 * The finder's result as the normalized catalogue (src/shared/domain/source.ts), with sky positions,
 * sizes and position angles through the image WCS (catalogue/skyGeometry.ts handles rotated and
 * flipped WCSs). Also the beam in pixel units from the FITS beam, for running the finder.
 *
 * Pixel-frame angles: the finder's `paDeg` assumes north = +y, east = −x, i.e. an image angle
 * θ (CCW from +x) = PA + 90. Here θ is mapped to a true sky PA with the WCS at the source position.
 */
import type { Beam } from '../../shared/contract/images';
import type { Catalogue, Component as CatComponent, FitQuality as CatFitQuality, Source } from '../../shared/domain/source';
import { foldAxisAngle, makeCatalogue } from '../../shared/domain/source';
import { arcsecPerPixel, LocalSky, paToThetaDeg, pixelToSky, type PixelGeometry } from '../catalogue/skyGeometry';
import { roundSig } from './catalogueNumbers';
import type { Wcs } from '../wcs';
import type { World } from '../../shared/domain/coords';
import type { BeamPx, Component, FinderResult, FitQuality, Island } from './types';
import { componentsByIsland, FWHM_PER_SIGMA } from './types';

/** Island flag bits in the catalogue's `flags`. */
export const FLAG_TOUCHES_EDGE = 1;
export const FLAG_NAN_NEARBY = 2;

const QUALITY: Record<FitQuality, CatFitQuality> = { ok: 'HIGH', atBound: 'MEDIUM', notConverged: 'LOW', failed: 'BAD' };

/**
 * The restoring beam in pixels at pixel `at` (default: the image centre): FWHM along the beam axes
 * measured with the WCS, PA converted to the pixel frame (north = +y convention of the finder).
 */
export function beamToPixels(beam: Beam, wcs: Wcs, at: { x: number; y: number }): BeamPx {
  const g: PixelGeometry = { wcs };
  const theta = paToThetaDeg(g, at, beam.bpaDeg);
  if (theta === undefined) {
    const scale = Math.abs(wcs.pixelScaleDeg.y);
    return { majorSigmaPx: beam.bmajDeg / scale / FWHM_PER_SIGMA, minorSigmaPx: beam.bminDeg / scale / FWHM_PER_SIGMA, paDeg: beam.bpaDeg };
  }
  const majScale = arcsecPerPixel(g, at, theta)! / 3600;
  const minScale = arcsecPerPixel(g, at, theta + 90)! / 3600;
  return {
    majorSigmaPx: beam.bmajDeg / majScale / FWHM_PER_SIGMA,
    minorSigmaPx: beam.bminDeg / minScale / FWHM_PER_SIGMA,
    paDeg: foldAxisAngle(theta - 90),
  };
}

export interface CatalogueInfo {
  name: string;
  imagePath?: string;
  runId?: string;
  wcs?: Wcs;
  beam?: Beam;
  parameters?: Record<string, unknown>;
}

export function toCatalogue(result: FinderResult, info: CatalogueInfo): Catalogue {
  return buildCatalogue(result, info, pairs);
}

/**
 * `toCatalogue` with each `contour` made by `contour` from the finder's flat [x0,y0,x1,y1,…] list
 * (the JSON writer keeps them flat: 10⁶ vertex pairs are most of its allocations).
 */
export function buildCatalogue(result: FinderResult, info: CatalogueInfo, contour: (flat: number[]) => unknown): Catalogue {
  const g: PixelGeometry = { wcs: info.wcs };
  const sources = [...islandSources(result, info, contour)];
  // extended islands become sources of their own; compact sources on them point to them (parentId)
  const byIslandId = new Map(result.islands.map((isl, k) => [isl.id, sources[k]]));
  for (const e of result.extended ?? []) {
    const id = `E${e.id}`;
    const sky = pixelToSky(g, { x: e.x, y: e.y });
    for (const link of e.components) {
      const src = byIslandId.get(link.islandId);
      if (src && src.parentId === undefined) src.parentId = id;
    }
    sources.push(
      finite({
        id,
        name: id,
        finder: 'cirasa',
        type: 'extended',
        islandId: id,
        x: e.x,
        y: e.y,
        ra: sky?.lon,
        dec: sky?.lat,
        flux: e.residualFlux,
        snr: e.peakSnr,
        npix: e.npix,
        contour: contour(e.contour) as Source['contour'],
        bbox: { xmin: e.bbox.xMin, xmax: e.bbox.xMax, ymin: e.bbox.yMin, ymax: e.bbox.yMax },
        extra: { scaleBeams: e.scaleBeams, fluxExcludesCompact: true },
        components: [],
      }) as Source,
    );
  }
  return makeCatalogue({
    name: info.name,
    finder: 'cirasa',
    sources,
    frame: info.wcs?.frame ?? 'fk5',
    ...(info.imagePath ? { imagePath: info.imagePath } : {}),
    ...(info.runId ? { runId: info.runId } : {}),
    ...(info.parameters ? { parameters: info.parameters } : {}),
    ...(info.beam ? { beam: { bmajArcsec: info.beam.bmajDeg * 3600, bminArcsec: info.beam.bminDeg * 3600, paDeg: info.beam.bpaDeg } } : {}),
  });
}

/**
 * The compact sources (one per island, in island order) one at a time, so a writer can drop each
 * after use; the extended islands and their parentId links are `buildCatalogue`'s.
 */
export function* islandSources(result: FinderResult, info: CatalogueInfo, contour: (flat: number[]) => unknown): Generator<Source> {
  const fields = new CompactSourceFields(info);
  const source = (isl: Island, comps: Component[]): Source => fields.set(isl, comps).toSource(contour);
  for (const [isl, comps] of islandsWithComponents(result)) yield source(isl, comps);
}

/** Each island with its components (in the given order), walking runs when they come grouped in island order. */
export function* islandsWithComponents(result: Pick<FinderResult, 'islands' | 'components'>): Generator<[Island, Component[]]> {
  const { islands, components } = result;
  if (inIslandOrder(islands, components)) {
    // the finder's canonical order: each island's components are the next run (no Map of 10⁵ arrays)
    let next = 0;
    for (const isl of islands) {
      // components of no island (none in a finder result) are skipped, as the Map below skips them
      while (next < components.length && components[next].islandId < isl.id) next++;
      const from = next;
      while (next < components.length && components[next].islandId === isl.id) next++;
      yield [isl, components.slice(from, next)];
    }
    return;
  }
  const byIsland = componentsByIsland(components);
  for (const isl of islands) yield [isl, byIsland.get(isl.id) ?? []];
}

/** True when the components are grouped by island in the islands' order (ids increasing), as the finder returns them. */
function inIslandOrder(islands: Island[], components: Component[]): boolean {
  for (let k = 1; k < islands.length; k++) if (!(islands[k].id > islands[k - 1].id)) return false;
  for (let k = 1; k < components.length; k++) if (!(components[k].islandId >= components[k - 1].islandId)) return false;
  return true;
}

/**
 * A compact source's numeric fields in catalogue order (the JSON writer's order too), split around
 * the contour/bbox/flags/fitQuality fields that come between them. NaN = field absent.
 */
export const SOURCE_NUMBER_KEYS = ['x', 'y', 'ra', 'dec', 'glon', 'glat', 'peak', 'flux', 'fluxErr', 'snr', 'bmajArcsec', 'bminArcsec', 'paDeg', 'bmajPx', 'bminPx', 'thetaPxDeg', 'npix'] as const;
export const SOURCE_TAIL_NUMBER_KEYS = ['bkg', 'rms'] as const;
/** A component's numeric fields, after `id` and `index`, before `fitQuality` (and `extra`). */
export const COMPONENT_NUMBER_KEYS = [
  'x', 'y', 'xErrPx', 'yErrPx', 'ra', 'dec', 'raErr', 'decErr', 'glon', 'glat', 'peak', 'peakErr', 'flux', 'fluxErr', 'snr',
  'bmajArcsec', 'bminArcsec', 'paDeg', 'bmajErrArcsec', 'bminErrArcsec', 'paErrDeg', 'deconvBmajArcsec', 'deconvBminArcsec', 'deconvPaDeg',
  'bmajPx', 'bminPx', 'thetaPxDeg', 'chi2', 'ndf',
] as const;
const NS = SOURCE_NUMBER_KEYS.length;
const NT = SOURCE_TAIL_NUMBER_KEYS.length;
const NC = COMPONENT_NUMBER_KEYS.length;
const C_BMAJ_ARCSEC = COMPONENT_NUMBER_KEYS.indexOf('bmajArcsec');

/**
 * The catalogue fields of one compact source (an island and its components, in catalogue order),
 * computed once into flat arrays that the object builder (`toSource`) and the JSON byte writer
 * (sourceJsonWriter.ts) both read, so the two cannot disagree. Sky quantities come from one
 * `LocalSky` per position. Reused source after source (`set`).
 */
export class CompactSourceFields {
  readonly numbers = new Float64Array(NS + NT);
  /** Component k's numbers are compNumbers[k·NC … (k+1)·NC). */
  compNumbers = new Float64Array(8 * NC);
  compQuality: CatFitQuality[] = [];
  compSizeFixed: boolean[] = [];
  nComponents = 0;
  island!: Island;
  type: 'point' | 'extended' = 'point';
  fitQuality: CatFitQuality | undefined;
  private readonly sky: LocalSky;
  private readonly beamMajArcsec: number;

  constructor(info: Pick<CatalogueInfo, 'wcs' | 'beam'>) {
    this.sky = new LocalSky(info.wcs);
    this.beamMajArcsec = info.beam ? info.beam.bmajDeg * 3600 : NaN;
  }

  set(isl: Island, comps: Component[]): this {
    this.island = isl;
    const n = comps.length;
    if (this.compNumbers.length < n * NC) this.compNumbers = new Float64Array(2 * n * NC);
    this.nComponents = n;
    this.compQuality.length = n;
    this.compSizeFixed.length = n;
    let largest = 0;
    let worst: FitQuality = 'ok';
    for (let k = 0; k < n; k++) {
      const c = comps[k];
      componentNumbers(c, this.sky, this.compNumbers, k * NC);
      this.compQuality[k] = QUALITY[c.fitQuality];
      this.compSizeFixed[k] = c.sizeFixed;
      if (rank(c.fitQuality) > rank(worst)) worst = c.fitQuality;
      const maj = this.compNumbers[k * NC + C_BMAJ_ARCSEC];
      if (maj > largest) largest = maj;
    }
    const bmaj = islandNumbers(isl, this.sky, this.numbers);
    if (bmaj > largest) largest = bmaj;
    this.type = n > 1 || largest > 1.5 * this.beamMajArcsec ? 'extended' : 'point';
    this.fitQuality = n > 0 ? QUALITY[worst] : undefined;
    return this;
  }

  /** The catalogue source (numbers to 10 significant digits, absent fields left out). */
  toSource(contour: (flat: number[]) => unknown): Source {
    const isl = this.island;
    const id = `S${isl.id}`;
    const s: Record<string, unknown> = { id, name: id, finder: 'cirasa', type: this.type, islandId: id };
    putNumbers(s, SOURCE_NUMBER_KEYS, this.numbers, 0);
    s.contour = contour(isl.contour);
    s.bbox = { xmin: isl.bbox.xMin, xmax: isl.bbox.xMax, ymin: isl.bbox.yMin, ymax: isl.bbox.yMax };
    s.flags = islandFlags(isl);
    if (this.fitQuality !== undefined) s.fitQuality = this.fitQuality;
    putNumbers(s, SOURCE_TAIL_NUMBER_KEYS, this.numbers, NS);
    const components: CatComponent[] = [];
    for (let k = 0; k < this.nComponents; k++) {
      const c: Record<string, unknown> = { id: `${id}_c${k + 1}`, index: k + 1 };
      putNumbers(c, COMPONENT_NUMBER_KEYS, this.compNumbers, k * NC);
      c.fitQuality = this.compQuality[k];
      if (this.compSizeFixed[k]) c.extra = { sizeFixed: true };
      components.push(c as unknown as CatComponent);
    }
    s.components = components;
    return s as unknown as Source;
  }
}

export function islandFlags(isl: Island): number {
  return (isl.flags.touchesEdge ? FLAG_TOUCHES_EDGE : 0) | (isl.flags.nanNearby ? FLAG_NAN_NEARBY : 0);
}

function putNumbers(o: Record<string, unknown>, keys: readonly string[], values: Float64Array, from: number): void {
  for (let k = 0; k < keys.length; k++) {
    const v = values[from + k];
    if (Number.isFinite(v)) o[keys[k]] = roundSig(v);
  }
}

/** An island's SOURCE_NUMBER_KEYS + SOURCE_TAIL_NUMBER_KEYS into `out`; returns its bmajArcsec (NaN without a WCS). */
function islandNumbers(isl: Island, sky: LocalSky, out: Float64Array): number {
  sky.at(isl.x, isl.y);
  const theta = foldAxisAngle(isl.ellipse.paDeg + 90);
  const bmajArcsec = isl.ellipse.majorFwhmPx * sky.scaleArcsec(theta);
  out[0] = isl.x;
  out[1] = isl.y;
  out[2] = sky.lon;
  out[3] = sky.lat;
  out[4] = sky.glon;
  out[5] = sky.glat;
  out[6] = isl.peak;
  out[7] = isl.flux;
  out[8] = isl.fluxErr;
  out[9] = isl.snr;
  out[10] = bmajArcsec;
  out[11] = isl.ellipse.minorFwhmPx * sky.scaleArcsec(theta + 90);
  out[12] = sky.paDeg(theta);
  out[13] = isl.ellipse.majorFwhmPx;
  out[14] = isl.ellipse.minorFwhmPx;
  out[15] = theta;
  out[16] = isl.npix;
  out[17] = isl.bkgAtPeak;
  out[18] = isl.rmsAtPeak;
  return bmajArcsec;
}

/** A component's COMPONENT_NUMBER_KEYS into out[o …]. */
function componentNumbers(c: Component, sky: LocalSky, out: Float64Array, o: number): void {
  sky.at(c.x, c.y);
  const theta = foldAxisAngle(c.paDeg + 90);
  const majScale = sky.scaleArcsec(theta);
  const minScale = sky.scaleArcsec(theta + 90);
  // position errors along x/y → degrees with the local scale along each pixel axis
  const sx = sky.scaleArcsec(0);
  const sy = sky.scaleArcsec(90);
  const deconvolved = c.deconvMajorFwhmPx > 0;
  const dTheta = foldAxisAngle(c.deconvPaDeg + 90);
  out[o] = c.x;
  out[o + 1] = c.y;
  out[o + 2] = c.xErr;
  out[o + 3] = c.yErr;
  out[o + 4] = sky.lon;
  out[o + 5] = sky.lat;
  out[o + 6] = (c.xErr * sx) / 3600;
  out[o + 7] = (c.yErr * sy) / 3600;
  out[o + 8] = sky.glon;
  out[o + 9] = sky.glat;
  out[o + 10] = c.peak;
  out[o + 11] = c.peakErr;
  out[o + 12] = c.flux;
  out[o + 13] = c.fluxErr;
  out[o + 14] = c.snr;
  out[o + 15] = c.majorFwhmPx * majScale;
  out[o + 16] = c.minorFwhmPx * minScale;
  out[o + 17] = sky.paDeg(theta);
  out[o + 18] = c.majorFwhmErrPx * majScale;
  out[o + 19] = c.minorFwhmErrPx * minScale;
  out[o + 20] = c.paErrDeg;
  out[o + 21] = deconvolved ? c.deconvMajorFwhmPx * sky.scaleArcsec(dTheta) : NaN;
  out[o + 22] = deconvolved ? c.deconvMinorFwhmPx * sky.scaleArcsec(dTheta + 90) : NaN;
  out[o + 23] = deconvolved ? sky.paDeg(dTheta) : NaN;
  out[o + 24] = c.majorFwhmPx;
  out[o + 25] = c.minorFwhmPx;
  out[o + 26] = theta;
  out[o + 27] = c.chi2;
  out[o + 28] = Number.isFinite(c.chi2) && c.redChi2 > 0 ? Math.round(c.chi2 / c.redChi2) : NaN;
}

/** Drops undefined and non-finite numbers (the catalogue model has absent fields, never NaN); numbers to 10 significant digits. */
function finite<T extends object>(o: T): T {
  // for…in rather than Object.entries: no [key, value] pair per field
  const src = o as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k in src) {
    const v = src[k];
    if (v === undefined || (typeof v === 'number' && !Number.isFinite(v))) continue;
    out[k] = typeof v === 'number' ? roundSig(v) : v;
  }
  return out as T;
}

function rank(q: FitQuality): number {
  return q === 'ok' ? 0 : q === 'atBound' ? 1 : q === 'notConverged' ? 2 : 3;
}

function pairs(flat: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (let k = 0; k + 1 < flat.length; k += 2) out.push([flat[k], flat[k + 1]]);
  return out;
}
