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
import { arcsecPerPixel, paToThetaDeg, pixelToSky, thetaToPaDeg, type PixelGeometry } from '../catalogue/skyGeometry';
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
export function* islandSources(result: FinderResult, info: CatalogueInfo, contour: (flat: number[]) => unknown, forJson = false): Generator<Source> {
  const source = islandSourceMaker(info, contour, forJson);
  const { islands, components } = result;
  if (inIslandOrder(islands, components)) {
    // the finder's canonical order: each island's components are the next run (no Map of 10⁵ arrays)
    let next = 0;
    for (const isl of islands) {
      // components of no island (none in a finder result) are skipped, as the Map below skips them
      while (next < components.length && components[next].islandId < isl.id) next++;
      const from = next;
      while (next < components.length && components[next].islandId === isl.id) next++;
      yield source(isl, components.slice(from, next));
    }
    return;
  }
  const byIsland = componentsByIsland(components);
  for (const isl of islands) yield source(isl, byIsland.get(isl.id) ?? []);
}

/**
 * The catalogue source of one island and its components (in catalogue order), as `islandSources`
 * builds it: it depends on nothing else but `info` (the tile workers build each island's JSON with it).
 */
export function islandSourceMaker(info: CatalogueInfo, contour: (flat: number[]) => unknown, forJson = false): (isl: Island, comps: Component[]) => Source {
  // for JSON.stringify, undefined fields may stay (it omits them): copy only objects with NaN/±Infinity
  const clean = forJson ? finiteForJson : finite;
  const g: PixelGeometry = { wcs: info.wcs ? recentPointsWcs(info.wcs) : undefined };
  const beamMajArcsec = info.beam ? info.beam.bmajDeg * 3600 : undefined;
  return (isl, comps) => islandToSource(isl, comps, g, beamMajArcsec, contour, clean);
}

/** True when the components are grouped by island in the islands' order (ids increasing), as the finder returns them. */
function inIslandOrder(islands: Island[], components: Component[]): boolean {
  for (let k = 1; k < islands.length; k++) if (!(islands[k].id > islands[k - 1].id)) return false;
  for (let k = 1; k < components.length; k++) if (!(components[k].islandId >= components[k - 1].islandId)) return false;
  return true;
}

const RECENT_POINTS = 16;

/**
 * `wcs` remembering its last 16 pixel → world results. A component asks for ~25 projections of 13
 * distinct points (its centre in every size/PA step, the same ±h steps for a scale and a PA at θ), so
 * half are repeats; the answers are the same objects the WCS computed (callers only read them).
 */
function recentPointsWcs(wcs: Wcs): Wcs {
  const xs = new Float64Array(RECENT_POINTS).fill(NaN);
  const ys = new Float64Array(RECENT_POINTS).fill(NaN);
  const worlds: (World | null)[] = new Array<World | null>(RECENT_POINTS).fill(null);
  let next = 0;
  const memo: Wcs = Object.create(wcs) as Wcs;
  (memo as { pixelToWorld: Wcs['pixelToWorld'] }).pixelToWorld = (p) => {
    for (let k = 0; k < RECENT_POINTS; k++) if (xs[k] === p.x && ys[k] === p.y) return worlds[k];
    const w = wcs.pixelToWorld(p);
    xs[next] = p.x;
    ys[next] = p.y;
    worlds[next] = w;
    next = (next + 1) % RECENT_POINTS;
    return w;
  };
  return memo;
}

type Clean = <T extends object>(o: T) => T;

/**
 * `finite` for fresh objects only given to JSON.stringify, which omits undefined fields itself: a
 * NaN/±Infinity becomes undefined in place. No copy: a copy made key by key is a slow-mode
 * (dictionary) object past a dozen fields, which JSON.stringify serializes ~2× slower, and 9 in 10
 * components have NaN size errors (point sources).
 */
function finiteForJson<T extends object>(o: T): T {
  const src = o as Record<string, unknown>;
  for (const k in src) {
    const v = src[k];
    if (typeof v === 'number' && !Number.isFinite(v)) src[k] = undefined;
  }
  return o;
}

/** Drops undefined and non-finite numbers: the catalogue model has absent fields, never NaN. */
function finite<T extends object>(o: T): T {
  // for…in rather than Object.entries: no [key, value] pair per field (10⁵ sources × 30 fields)
  const src = o as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k in src) {
    const v = src[k];
    if (v === undefined || (typeof v === 'number' && !Number.isFinite(v))) continue;
    out[k] = v;
  }
  return out as T;
}

/** Sky ellipse (arcsec, PA) of a pixel-frame ellipse (FWHM px, finder PA) at pixel p. */
function skyEllipse(g: PixelGeometry, p: { x: number; y: number }, majPx: number, minPx: number, paPxDeg: number) {
  const theta = foldAxisAngle(paPxDeg + 90);
  const majScale = arcsecPerPixel(g, p, theta);
  const minScale = arcsecPerPixel(g, p, theta + 90);
  return {
    thetaPxDeg: theta,
    bmajArcsec: majScale !== undefined ? majPx * majScale : undefined,
    bminArcsec: minScale !== undefined ? minPx * minScale : undefined,
    paDeg: thetaToPaDeg(g, p, theta),
    majScale,
    minScale,
  };
}

function islandToSource(isl: Island, comps: Component[], g: PixelGeometry, beamMajArcsec: number | undefined, contour: (flat: number[]) => unknown, clean: Clean): Source {
  const id = `S${isl.id}`;
  const sky = pixelToSky(g, { x: isl.x, y: isl.y });
  const gal = sky && sky.frame !== 'galactic' ? pixelToSky(g, { x: isl.x, y: isl.y }, 'galactic') : sky;
  const e = skyEllipse(g, isl, isl.ellipse.majorFwhmPx, isl.ellipse.minorFwhmPx, isl.ellipse.paDeg);
  const components = comps.map((c, k) => componentToCatalogue(c, `${id}_c${k + 1}`, k + 1, g, clean));
  const largest = Math.max(e.bmajArcsec ?? 0, ...components.map((c) => c.bmajArcsec ?? 0));
  const extended = components.length > 1 || (beamMajArcsec !== undefined && largest > 1.5 * beamMajArcsec);
  const worst = comps.reduce<FitQuality>((q, c) => (rank(c.fitQuality) > rank(q) ? c.fitQuality : q), 'ok');
  return clean({
    id,
    name: id,
    finder: 'cirasa',
    type: extended ? 'extended' : 'point',
    islandId: id,
    x: isl.x,
    y: isl.y,
    ra: sky?.lon,
    dec: sky?.lat,
    glon: gal?.lon,
    glat: gal?.lat,
    peak: isl.peak,
    flux: isl.flux,
    fluxErr: isl.fluxErr,
    snr: isl.snr,
    bmajArcsec: e.bmajArcsec,
    bminArcsec: e.bminArcsec,
    paDeg: e.paDeg,
    bmajPx: isl.ellipse.majorFwhmPx,
    bminPx: isl.ellipse.minorFwhmPx,
    thetaPxDeg: e.thetaPxDeg,
    npix: isl.npix,
    contour: contour(isl.contour) as Source['contour'],
    bbox: { xmin: isl.bbox.xMin, xmax: isl.bbox.xMax, ymin: isl.bbox.yMin, ymax: isl.bbox.yMax },
    flags: (isl.flags.touchesEdge ? FLAG_TOUCHES_EDGE : 0) | (isl.flags.nanNearby ? FLAG_NAN_NEARBY : 0),
    fitQuality: comps.length > 0 ? QUALITY[worst] : undefined,
    bkg: isl.bkgAtPeak,
    rms: isl.rmsAtPeak,
    components,
  }) as Source;
}

function rank(q: FitQuality): number {
  return q === 'ok' ? 0 : q === 'atBound' ? 1 : q === 'notConverged' ? 2 : 3;
}

function componentToCatalogue(c: Component, id: string, index: number, g: PixelGeometry, clean: Clean): CatComponent {
  const p = { x: c.x, y: c.y };
  const sky = pixelToSky(g, p);
  const gal = sky && sky.frame !== 'galactic' ? pixelToSky(g, p, 'galactic') : sky;
  const e = skyEllipse(g, p, c.majorFwhmPx, c.minorFwhmPx, c.paDeg);
  const d = c.deconvMajorFwhmPx > 0 ? skyEllipse(g, p, c.deconvMajorFwhmPx, c.deconvMinorFwhmPx, c.deconvPaDeg) : undefined;
  // position errors along x/y → degrees with the local scale along each pixel axis
  const sx = arcsecPerPixel(g, p, 0);
  const sy = arcsecPerPixel(g, p, 90);
  return clean({
    id,
    index,
    x: c.x,
    y: c.y,
    xErrPx: c.xErr,
    yErrPx: c.yErr,
    ra: sky?.lon,
    dec: sky?.lat,
    raErr: sx !== undefined ? (c.xErr * sx) / 3600 : undefined,
    decErr: sy !== undefined ? (c.yErr * sy) / 3600 : undefined,
    glon: gal?.lon,
    glat: gal?.lat,
    peak: c.peak,
    peakErr: c.peakErr,
    flux: c.flux,
    fluxErr: c.fluxErr,
    snr: c.snr,
    bmajArcsec: e.bmajArcsec,
    bminArcsec: e.bminArcsec,
    paDeg: e.paDeg,
    bmajErrArcsec: e.majScale !== undefined ? c.majorFwhmErrPx * e.majScale : undefined,
    bminErrArcsec: e.minScale !== undefined ? c.minorFwhmErrPx * e.minScale : undefined,
    paErrDeg: c.paErrDeg,
    deconvBmajArcsec: d?.bmajArcsec,
    deconvBminArcsec: d?.bminArcsec,
    deconvPaDeg: d?.paDeg,
    bmajPx: c.majorFwhmPx,
    bminPx: c.minorFwhmPx,
    thetaPxDeg: e.thetaPxDeg,
    chi2: c.chi2,
    ndf: Number.isFinite(c.chi2) && c.redChi2 > 0 ? Math.round(c.chi2 / c.redChi2) : undefined,
    fitQuality: QUALITY[c.fitQuality],
    ...(c.sizeFixed ? { extra: { sizeFixed: true } } : {}),
  }) as CatComponent;
}

function pairs(flat: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (let k = 0; k + 1 < flat.length; k += 2) out.push([flat[k], flat[k + 1]]);
  return out;
}
