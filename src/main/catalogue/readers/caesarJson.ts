/**
 * CAESAR island JSON (`catalog-*.json`, §7.5: `{metadata, sources:[{..., islands:[{..., vertices,
 * fit_info:{components}}]}]}`) and component JSON (`catalog_fitcomp-*.json`, §7.6: `{components:[...]}`,
 * whose `fluxDensity*` are Jy/beam × px and are divided by `beamArea` here). NaN/Infinity accepted.
 */
import { readFile } from 'node:fs/promises';
import type { Catalogue, CatalogueBeam, Component, Source } from '../../../shared/domain/source';
import { foldAxisAngle, makeCatalogue } from '../../../shared/domain/source';
import { normalizeClass } from '../../../shared/domain/labels';
import type { CatalogueReader, ReadOptions } from '../types';
import { compact, extraOf, finite, parseFailed, stem } from '../parseUtil';
import { parseLenientJson } from './lenientJson';
import {
  fitQualityFromCode, fitQualityFromLabel, morphologyFromCode, normalizeMorphology, normalizeSourceness,
  parentName, sourcenessFromCode, topIslandName, typeFromMorphology,
} from './caesarCodes';

type Obj = Record<string, unknown>;
const FWHM_PER_SIGMA = 2 * Math.sqrt(2 * Math.LN2);

function obj(v: unknown): Obj {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
/** CAESAR writes −999 for "unavailable". */
function val(v: unknown): number | undefined {
  const n = finite(v);
  return n === -999 ? undefined : n;
}

function componentFromJson(c: Obj, island: string, k: number, fitQuality: Component['fitQuality'], chi2?: number, ndf?: number): Component {
  const sx = val(c.sx), sy = val(c.sy), theta = val(c.theta);
  const swap = sx !== undefined && sy !== undefined && sy > sx;
  const morph = str(c.morph_label);
  const sourceness = str(c.sourceness_label);
  const pa = val(c.pa);
  const dmaj = val(c.bmaj_deconv);
  return compact<Component>({
    id: `${island}_fitcomp${k}`,
    index: k,
    x: val(c.x)!,
    y: val(c.y)!,
    xErrPx: val(c.x_err),
    yErrPx: val(c.y_err),
    ra: val(c.ra),
    dec: val(c.dec),
    raErr: val(c.ra_err),
    decErr: val(c.dec_err),
    peak: val(c.Speak),
    peakErr: val(c.Speak_err),
    flux: val(c.S),
    fluxErr: val(c.S_err),
    bmajPx: sx !== undefined && sy !== undefined ? Math.max(sx, sy) * FWHM_PER_SIGMA : undefined,
    bminPx: sx !== undefined && sy !== undefined ? Math.min(sx, sy) * FWHM_PER_SIGMA : undefined,
    thetaPxDeg: theta !== undefined ? foldAxisAngle(theta + (swap ? 90 : 0)) : undefined,
    bmajArcsec: val(c.bmaj),
    bminArcsec: val(c.bmin),
    paDeg: pa !== undefined ? foldAxisAngle(pa) : undefined,
    bmajErrArcsec: val(c.bmaj_err),
    bminErrArcsec: val(c.bmin_err),
    paErrDeg: val(c.pa_err),
    deconvBmajArcsec: dmaj || undefined,
    deconvBminArcsec: dmaj ? val(c.bmin_deconv) : undefined,
    deconvPaDeg: dmaj && val(c.pa_deconv) !== undefined ? foldAxisAngle(val(c.pa_deconv)!) : undefined,
    chi2,
    ndf,
    fitQuality,
    labels: compact({ morphology: morph ? normalizeMorphology(morph) : undefined, sourceness: sourceness ? normalizeSourceness(sourceness) : undefined }),
    extra: extraOf({ iauName: c.iau_name, resolved: c.resolved }),
  });
}

function sourceFromJson(path: string, s: Obj, index: number): Source {
  const name = str(s.name);
  const islands = Array.isArray(s.islands) ? s.islands : [];
  if (!name || islands.length === 0) throw parseFailed(path, `sources[${index}] has no name or no islands`, { field: `sources[${index}]` });
  const isl = obj(islands[0]);
  const fit = obj(isl.fit_info);
  const comps = Array.isArray(fit.components) ? fit.components : [];
  const fitQuality = fitQualityFromLabel(fit.fit_quality);
  const chi2 = val(fit.chi2), ndf = val(fit.ndf);
  const morphology = normalizeMorphology(str(s.morph_label) ?? str(isl.morph_label) ?? '');
  const vertices = Array.isArray(isl.vertices) ? isl.vertices : [];
  const x = val(isl.x) ?? val(s.x0);
  const y = val(isl.y) ?? val(s.y0);
  if (x === undefined || y === undefined) throw parseFailed(path, `source ${name} has no x/y`, { field: `sources[${index}].islands[0].x` });
  const components = comps.map((c, k) => componentFromJson(obj(c), name, k + 1, fitQuality, chi2, ndf));
  const peak = val(isl.Smax);
  const rms = val(isl.rms);
  const xmin = val(isl.xmin), xmax = val(isl.xmax), ymin = val(isl.ymin), ymax = val(isl.ymax);
  const src = compact<Source>({
    id: name,
    name,
    iauName: str(s.iau_name) ?? str(isl.iau_name),
    finder: 'caesar',
    type: typeFromMorphology(morphology),
    islandId: topIslandName(name),
    parentId: parentName(name),
    npix: val(isl.npix),
    x,
    y,
    ra: val(s.ra) ?? val(isl.ra),
    dec: val(s.dec) ?? val(isl.dec),
    peak,
    // Fitted total when fitted, else Stot (already Jy in the JSON).
    flux: comps.length ? val(fit.flux) : val(isl.Stot),
    fluxErr: comps.length ? val(fit.flux_err) : undefined,
    snr: peak !== undefined && rms ? peak / rms : undefined,
    bkg: val(isl.bkg),
    rms,
    contour: vertices.length ? vertices.map((v) => [Number((v as number[])[0]), Number((v as number[])[1])] as [number, number]) : undefined,
    bbox: xmin !== undefined && xmax !== undefined && ymin !== undefined && ymax !== undefined ? { xmin, xmax, ymin, ymax } : undefined,
    flags: finite(isl.border) ? 1 : undefined,
    fitQuality,
    chi2,
    ndf,
    labels: compact({
      sourceness: normalizeSourceness(str(s.sourceness_label) ?? ''),
      morphology,
      class: normalizeClass(str(s.class_label) ?? ''),
      tags: Array.isArray(s.tags) && s.tags.length ? s.tags.map(String) : undefined,
    }),
    components,
    extra: extraOf({ classScore: val(s.class_score), sourcenessScore: val(s.sourceness_score), nestLevel: val(s.nest_level), resolved: val(isl.resolved) }),
  });
  if (components.length === 1) {
    const c = components[0]!;
    for (const k of ['bmajArcsec', 'bminArcsec', 'paDeg', 'bmajPx', 'bminPx', 'thetaPxDeg', 'deconvBmajArcsec', 'deconvBminArcsec', 'deconvPaDeg'] as const) {
      if (c[k] !== undefined) src[k] = c[k];
    }
  }
  return src;
}

function beamOf(meta: Obj): CatalogueBeam | undefined {
  const input = obj(meta.inputdata);
  const bmaj = val(input.bmaj), bmin = val(input.bmin);
  return bmaj && bmin ? { bmajArcsec: bmaj, bminArcsec: bmin, paDeg: val(input.pa) ?? 0 } : undefined;
}

export const caesarIslandJsonReader: CatalogueReader = {
  id: 'caesar-json',
  detect: (_p, head) => {
    const t = head.toString('utf8');
    return /"metadata"\s*:/.test(t) && /"software"|"inputdata"/.test(t) && !/"cirasaCatalogue"/.test(t);
  },
  async read(path: string, opts: ReadOptions): Promise<Catalogue> {
    const doc = obj(parseLenientJson(path, await readFile(path, 'utf8')));
    if (!Array.isArray(doc.sources)) throw parseFailed(path, 'no "sources" array (not a CAESAR island catalogue)', { field: 'sources' });
    const meta = obj(doc.metadata);
    return makeCatalogue({
      name: opts.name ?? stem(path),
      finder: 'caesar',
      frame: opts.frame ?? 'fk5',
      createdAt: str(meta.date) ? new Date(`${str(meta.date)}${/Z|[+-]\d\d:?\d\d$/.test(str(meta.date)!) ? '' : 'Z'}`).toISOString() : undefined,
      imagePath: str(obj(meta.inputdata).filename),
      beam: opts.beam ?? beamOf(meta),
      sources: doc.sources.map((s, i) => sourceFromJson(path, obj(s), i)),
    });
  },
};

export const caesarComponentJsonReader: CatalogueReader = {
  id: 'caesar-components-json',
  detect: (_p, head) => /^\s*\{\s*"components"\s*:/.test(head.toString('utf8')),
  async read(path: string, opts: ReadOptions): Promise<Catalogue> {
    const doc = obj(parseLenientJson(path, await readFile(path, 'utf8')));
    if (!Array.isArray(doc.components)) throw parseFailed(path, 'no "components" array', { field: 'components' });
    const byIsland = new Map<string, { comps: Component[]; first: Obj }>();
    doc.components.forEach((raw, i) => {
      const c = obj(raw);
      const island = str(c.name);
      if (!island) throw parseFailed(path, `components[${i}] has no island name`, { field: `components[${i}].name` });
      const beamArea = val(c.beamArea);
      const toJy = (v: unknown) => (val(v) !== undefined && beamArea ? val(v)! / beamArea : undefined);
      const k = val(c.componentId) ?? 1;
      const paPx = val(c.pa), pa = val(c.pa_wcs), dmaj = val(c.bmaj_deconv_wcs);
      const comp = compact<Component>({
        id: `${island}_fitcomp${k}`, index: k,
        x: val(c.x0)!, y: val(c.y0)!, xErrPx: val(c.x0Err), yErrPx: val(c.y0Err),
        ra: val(c.x0_wcs), dec: val(c.y0_wcs), raErr: val(c.x0Err_wcs), decErr: val(c.y0Err_wcs),
        peak: val(c.A), peakErr: val(c.Aerr), flux: toJy(c.fluxDensity), fluxErr: toJy(c.fluxDensityErr),
        bmajPx: val(c.bmaj), bminPx: val(c.bmin), thetaPxDeg: paPx !== undefined ? foldAxisAngle(paPx + 90) : undefined,
        bmajArcsec: val(c.bmaj_wcs), bminArcsec: val(c.bmin_wcs), paDeg: pa !== undefined ? foldAxisAngle(pa) : undefined,
        bmajErrArcsec: val(c.bmajErr_wcs), bminErrArcsec: val(c.bminErr_wcs), paErrDeg: val(c.paErr_wcs),
        deconvBmajArcsec: dmaj || undefined, deconvBminArcsec: dmaj ? val(c.bmin_deconv_wcs) : undefined,
        deconvPaDeg: dmaj && val(c.pa_deconv_wcs) !== undefined ? foldAxisAngle(val(c.pa_deconv_wcs)!) : undefined,
        chi2: val(c.chi2), ndf: val(c.ndf), fitQuality: fitQualityFromCode(val(c.fitQuality)),
        labels: { sourceness: sourcenessFromCode(val(c.sourceness)), morphology: morphologyFromCode(val(c.morphId)) },
        extra: extraOf({ iauName: c.iauName }),
      });
      const e = byIsland.get(island) ?? { comps: [], first: c };
      e.comps.push(comp);
      byIsland.set(island, e);
    });
    const sources: Source[] = [...byIsland].map(([name, { comps, first }]) => {
      const beamArea = val(first.beamArea);
      const tot = comps.reduce((a, c) => a + (c.flux ?? 0), 0) || 1;
      const one = comps.length === 1 ? comps[0]! : undefined;
      return compact<Source>({
        id: name, name, finder: 'caesar', type: typeFromMorphology(comps[0]?.labels?.morphology),
        islandId: topIslandName(name), parentId: parentName(name), npix: val(first.nPix),
        x: comps.reduce((a, c) => a + c.x * (c.flux ?? 0), 0) / tot,
        y: comps.reduce((a, c) => a + c.y * (c.flux ?? 0), 0) / tot,
        ra: one?.ra, dec: one?.dec,
        peak: Math.max(...comps.map((c) => c.peak ?? -Infinity)),
        flux: val(first.fluxDensityTot) !== undefined && beamArea ? val(first.fluxDensityTot)! / beamArea : undefined,
        fluxErr: val(first.fluxDensityTotErr) !== undefined && beamArea ? val(first.fluxDensityTotErr)! / beamArea : undefined,
        bmajArcsec: one?.bmajArcsec, bminArcsec: one?.bminArcsec, paDeg: one?.paDeg,
        bmajPx: one?.bmajPx, bminPx: one?.bminPx, thetaPxDeg: one?.thetaPxDeg,
        fitQuality: comps[0]?.fitQuality, chi2: comps[0]?.chi2, ndf: comps[0]?.ndf,
        labels: comps[0]?.labels, components: comps,
      });
    });
    for (const s of sources) if (!Number.isFinite(s.peak)) delete s.peak;
    return makeCatalogue({ name: opts.name ?? stem(path), finder: 'caesar', frame: opts.frame ?? 'fk5', sources });
  },
};
