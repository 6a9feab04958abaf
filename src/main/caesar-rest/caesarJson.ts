/**
 * Our normalized catalogue in CAESAR's JSON catalogue formats (api §7.5 islands, §7.6 components), for
 * `/job/{id}/sources` and `/job/{id}/source-components`. Values we do not measure are `null` (CAESAR's NaN)
 * or −999 where CAESAR itself writes −999; we keep no per-pixel lists, so `pixels` is empty.
 */
import { basename } from 'node:path';
import type { Catalogue, Component, FitQuality, Source } from '../../shared/domain/source';

const FIT_CODE: Record<FitQuality, number> = { BAD: 0, LOW: 1, MEDIUM: 2, HIGH: 3, UNKNOWN: -1 };
const SOURCENESS_CODE: Record<string, number> = { REAL: 1, CANDIDATE: 2, FALSE: 3 };
const MORPH_CODE: Record<string, number> = { 'UNKNOWN-MORPH': 0, COMPACT: 1, 'POINT-LIKE': 2, EXTENDED: 3, 'COMPACT-EXTENDED': 4, DIFFUSE: 5 };

const num = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);

/** CAESAR's `pa`: angle from North folded into [−90°, 90°]. */
function fold90(deg: number | undefined): number | null {
  if (deg === undefined) return null;
  let a = ((deg % 180) + 180) % 180;
  if (a > 90) a -= 180;
  return a;
}

function morphLabel(s: Source): string {
  const m = s.labels?.morphology?.toUpperCase();
  if (m && m in MORPH_CODE) return m;
  return s.type === 'point' ? 'COMPACT' : 'EXTENDED';
}

function sourcenessLabel(s: Source): string {
  const l = s.labels?.sourceness?.toUpperCase();
  return l && l in SOURCENESS_CODE ? l : 'REAL';
}

/** Pixels per beam from the catalogue beam and a source's own pixel scale (its axes in arcsec and in px). */
function beamAreaPx(cat: Catalogue, m: { bmajArcsec?: number; bmajPx?: number }): number | undefined {
  if (!cat.beam || !m.bmajArcsec || !m.bmajPx) return undefined;
  const pix = m.bmajArcsec / m.bmajPx;
  return (Math.PI * cat.beam.bmajArcsec * cat.beam.bminArcsec) / (4 * Math.LN2) / (pix * pix);
}

function componentJson(c: Component) {
  return {
    iau_name: c.id, x: c.x, y: c.y, x_err: num(c.xErrPx), y_err: num(c.yErrPx), ra: num(c.ra), dec: num(c.dec), ra_err: num(c.raErr), dec_err: num(c.decErr),
    Speak: num(c.peak), Speak_err: num(c.peakErr), S: num(c.flux), S_err: num(c.fluxErr),
    sx: c.bmajPx !== undefined ? c.bmajPx / 2.3548 : null, sy: c.bminPx !== undefined ? c.bminPx / 2.3548 : null, theta: num(c.thetaPxDeg),
    sx_err: null, sy_err: null, theta_err: null,
    bmaj: num(c.bmajArcsec), bmin: num(c.bminArcsec), pa: fold90(c.paDeg), bmaj_err: num(c.bmajErrArcsec), bmin_err: num(c.bminErrArcsec), pa_err: num(c.paErrDeg),
    bmaj_deconv: num(c.deconvBmajArcsec), bmin_deconv: num(c.deconvBminArcsec), pa_deconv: fold90(c.deconvPaDeg),
    morph_label: 'COMPACT', sourceness_label: 'REAL', sourceness_score: -1, resolved: 0,
    eccentricity_ratio: null, area_ratio: null, rot_angle_vs_beam: null, spectral_info: {}, crossmatch_info: [],
  };
}

function sourceJson(s: Source) {
  const morph = morphLabel(s);
  const sourceness = sourcenessLabel(s);
  const b = s.bbox;
  const fitted = s.components.length > 0;
  const island = {
    name: s.name, iau_name: s.iauName ?? s.name, npix: num(s.npix), x: s.x, y: s.y, ra: num(s.ra), dec: num(s.dec),
    xmin: num(b?.xmin), xmax: num(b?.xmax), ymin: num(b?.ymin), ymax: num(b?.ymax), ra_min: null, ra_max: null, dec_min: null, dec_max: null,
    Stot: num(s.flux), Smax: num(s.peak), bkg: num(s.bkg), rms: num(s.rms),
    morph_label: morph, sourceness_label: sourceness, sourceness_score: -1, border: (s.flags ?? 0) & 1 ? 1 : 0,
    class_label: s.labels?.class ?? 'UNKNOWN', class_score: 0, tags: s.labels?.tags ?? [], resolved: 0,
    beam_area_ratio_par: -999, circ_ratio_par: -999, elongation_par: -999, min_bbox_par: -999, min_size: -999, max_size: -999,
    vertices: s.contour ?? [], pixels: [], spectral_info: {}, crossmatch_info: [],
    fit_info: fitted
      ? {
          ncomponents: s.components.length, model: 'gaus', ndata: num(s.npix), npars: 6 * s.components.length, npars_free: 6 * s.components.length,
          chi2: num(s.chi2), ndf: num(s.ndf), fit_quality: s.fitQuality ?? 'UNKNOWN',
          flux: s.components.reduce((t, c) => t + (c.flux ?? 0), 0),
          flux_err: Math.sqrt(s.components.reduce((t, c) => t + (c.fluxErr ?? 0) ** 2, 0)), cov_matrix: [],
          components: s.components.map(componentJson),
        }
      : {},
  };
  return {
    name: s.name, iau_name: s.iauName ?? s.name, class_label: island.class_label, class_score: 0, nislands: 1, x0: s.x, y0: s.y,
    ra: num(s.ra), dec: num(s.dec), morph_label: morph, sourceness_label: sourceness, sourceness_score: -1, tags: island.tags,
    nest_level: s.parentId ? 1 : 0, islands: [island],
  };
}

/** §7.5: `{metadata, sources}`; each top-level island followed by its nested ones (our order is kept). */
export function islandCatalogueJson(cat: Catalogue, software = 'cirasa') {
  const inputdata: Record<string, unknown> = { filename: cat.imagePath ? basename(cat.imagePath) : '' };
  if (cat.beam) Object.assign(inputdata, { bmaj: cat.beam.bmajArcsec, bmin: cat.beam.bminArcsec, pa: cat.beam.paDeg });
  return {
    metadata: {
      version: '1', date: cat.createdAt, inputdata, tags: [], authors: [],
      software: [{ name: software, version: `${cat.finder}`, authors: [] }],
    },
    sources: cat.sources.map(sourceJson),
  };
}

/** §7.6: `{components: [...]}` with CAESAR's camelCase keys; `fluxDensity*` in Jy/beam × pixel (× beamArea), as CAESAR writes them. */
export function componentCatalogueJson(cat: Catalogue) {
  const components: Record<string, unknown>[] = [];
  for (const s of cat.sources) {
    for (const c of s.components) {
      const area = beamAreaPx(cat, c) ?? beamAreaPx(cat, s);
      const times = (v: number | undefined) => (v === undefined || area === undefined ? null : v * area);
      const tot = s.components.reduce((t, k) => t + (k.flux ?? 0), 0);
      const totErr = Math.sqrt(s.components.reduce((t, k) => t + (k.fluxErr ?? 0) ** 2, 0));
      components.push({
        name: s.name, nPix: num(s.npix), componentId: c.index, iauName: c.id, x0: c.x, y0: c.y, x0Err: num(c.xErrPx), y0Err: num(c.yErrPx),
        x0_wcs: num(c.ra), y0_wcs: num(c.dec), x0Err_wcs: num(c.raErr), y0Err_wcs: num(c.decErr), nu: -999,
        A: num(c.peak), Aerr: num(c.peakErr), fluxDensity: times(c.flux), fluxDensityErr: times(c.fluxErr),
        fluxDensityTot: times(tot), fluxDensityTotErr: times(totErr), beamArea: num(area),
        bmaj: num(c.bmajPx), bmin: num(c.bminPx), pa: c.thetaPxDeg !== undefined ? fold90(c.thetaPxDeg - 90) : null, bmajErr: null, bminErr: null, paErr: null,
        bmaj_wcs: num(c.bmajArcsec), bmin_wcs: num(c.bminArcsec), pa_wcs: fold90(c.paDeg), bmajErr_wcs: num(c.bmajErrArcsec), bminErr_wcs: num(c.bminErrArcsec), paErr_wcs: num(c.paErrDeg),
        bmaj_beam: num(cat.beam?.bmajArcsec), bmin_beam: num(cat.beam?.bminArcsec), pa_beam: fold90(cat.beam?.paDeg),
        bmaj_deconv_wcs: c.deconvBmajArcsec ?? 0, bmin_deconv_wcs: c.deconvBminArcsec ?? 0, pa_deconv_wcs: fold90(c.deconvPaDeg) ?? 0,
        eccentricityRatio: null, areaRatio: null, rotAngle: null, bkgSum: null, bkgRMSSum: null,
        chi2: num(c.chi2 ?? s.chi2), ndf: num(c.ndf ?? s.ndf), fitQuality: FIT_CODE[c.fitQuality ?? s.fitQuality ?? 'UNKNOWN'],
        sourceness: SOURCENESS_CODE[sourcenessLabel(s)], morphId: 1,
      });
    }
  }
  return { components };
}
