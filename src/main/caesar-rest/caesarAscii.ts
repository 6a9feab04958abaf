/**
 * Our normalized catalogue as CAESAR's ASCII tables (api §7.3 islands, 33 columns; §7.4 components, 48 columns),
 * for `/job/{id}/output-sources` and `/output-components`: `#` banner, one `# name - meaning` line per column,
 * then `# ` + tab-separated names (trailing tab) and tab-separated rows; nan/inf spelled so; pixel centroids
 * with 6 significant digits, sky columns onward with 8. Values we do not measure are `nan` (or −999 where CAESAR
 * writes −999).
 */
import type { Catalogue, Component, Source } from '../../shared/domain/source';

/** C++ stream output with `setprecision(p)` (the %g rule). */
export function formatG(v: number | undefined, p: number): string {
  if (v === undefined || Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (v === 0) return '0';
  const exp = Number(v.toExponential(p - 1).split('e')[1]);
  if (exp < -4 || exp >= p) {
    const [m, e] = v.toExponential(p - 1).split('e') as [string, string];
    const mant = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
    const n = Number(e);
    return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  const fixed = v.toFixed(Math.max(0, p - 1 - exp));
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

const MORPH_ID: Record<string, number> = { 'UNKNOWN-MORPH': 0, COMPACT: 1, 'POINT-LIKE': 2, EXTENDED: 3, 'COMPACT-EXTENDED': 4, DIFFUSE: 5 };
const SOURCENESS_ID: Record<string, number> = { REAL: 1, CANDIDATE: 2, FALSE: 3 };
const FIT_ID: Record<string, number> = { BAD: 0, LOW: 1, MEDIUM: 2, HIGH: 3, UNKNOWN: -1 };

function morphId(s: Source): number {
  const m = s.labels?.morphology?.toUpperCase();
  return m && m in MORPH_ID ? MORPH_ID[m]! : s.type === 'point' ? 1 : 3;
}

function sourcenessId(s: Source): number {
  const l = s.labels?.sourceness?.toUpperCase();
  return l && l in SOURCENESS_ID ? SOURCENESS_ID[l]! : 1;
}

function beamArea(cat: Catalogue, m: { bmajArcsec?: number; bmajPx?: number }): number | undefined {
  if (!cat.beam || !m.bmajArcsec || !m.bmajPx) return undefined;
  const pix = m.bmajArcsec / m.bmajPx;
  return (Math.PI * cat.beam.bmajArcsec * cat.beam.bminArcsec) / (4 * Math.LN2) / (pix * pix);
}

function fold90(deg: number | undefined): number | undefined {
  if (deg === undefined) return undefined;
  let a = ((deg % 180) + 180) % 180;
  if (a > 90) a -= 180;
  return a;
}

type Col = [name: string, meaning: string];

export const ISLAND_COLUMNS: Col[] = [
  ['name', 'source name'], ['iauName', 'source IAU name'], ['npix', 'number of pixels in source'], ['nComponents', 'number of fitted components'],
  ['nNestedSources', 'number of nested sources'], ['x', 'source centroid x (pixel, 0-based)'], ['y', 'source centroid y (pixel, 0-based)'],
  ['x_w', 'flux-weighted centroid x'], ['y_w', 'flux-weighted centroid y'], ['x_wcs(deg)', 'centroid x in sky coords'], ['y_wcs(deg)', 'centroid y in sky coords'],
  ['x_w_wcs(deg)', 'weighted centroid x in sky coords'], ['y_w_wcs(deg)', 'weighted centroid y in sky coords'], ['xmin', 'bounding box xmin'], ['xmax', 'bounding box xmax'],
  ['ymin', 'bounding box ymin'], ['ymax', 'bounding box ymax'], ['xmin_wcs(deg)', 'bbox corner'], ['xmax_wcs(deg)', 'bbox corner'], ['ymin_wcs(deg)', 'bbox corner'],
  ['ymax_wcs(deg)', 'bbox corner'], ['nu(GHz)', 'frequency'], ['Stot(Jy/beam)', 'sum of pixel fluxes'], ['Smax(Jy/beam)', 'peak pixel flux'],
  ['S(Jy)', 'fitted flux density'], ['Serr(Jy)', 'fitted flux density error'], ['beamArea', 'pixels per beam'], ['bkgSum(Jy/beam)', 'background summed over pixels'],
  ['rmsSum(Jy/beam)', 'noise summed over pixels'], ['morphId', 'morphology code'], ['sourcenessId', 'sourceness code'], ['isGoodSource', 'good source flag'],
  ['sourceNestedLevel', 'nesting level'],
];

export const COMPONENT_COLUMNS: Col[] = [
  ['name', 'parent island name'], ['npix', 'parent island pixels'], ['componentId', 'component index (1-based)'], ['iauName', 'component IAU name'],
  ['x', 'centre x (pixel, 0-based)'], ['y', 'centre y'], ['x_err', 'x error'], ['y_err', 'y error'], ['x_wcs(deg)', 'centre x in sky coords'], ['y_wcs(deg)', 'centre y in sky coords'],
  ['x_wcs_err(deg)', 'error'], ['y_wcs_err(deg)', 'error'], ['nu(GHz)', 'frequency'], ['Speak(Jy/beam)', 'amplitude'], ['Speak_err(Jy/beam)', 'amplitude error'],
  ['S(Jy)', 'flux density'], ['S_err(Jy)', 'flux density error'], ['S_island(Jy)', 'island fitted flux'], ['S_island_err(Jy)', 'island fitted flux error'],
  ['beamArea', 'pixels per beam'], ['bmaj', 'major axis FWHM (pixel)'], ['bmin', 'minor axis FWHM (pixel)'], ['pa', 'position angle (deg)'], ['bmaj_err', ''], ['bmin_err', ''], ['pa_err', ''],
  ['bmaj_wcs(arcsec)', 'major axis FWHM'], ['bmin_wcs(arcsec)', 'minor axis FWHM'], ['pa_wcs(deg)', 'position angle'], ['bmaj_wcs_err(arcsec)', ''], ['bmin_wcs_err(arcsec)', ''],
  ['pa_wcs_err(deg)', ''], ['bmaj_beam(arcsec)', 'beam'], ['bmin_beam(arcsec)', 'beam'], ['pa_beam(deg)', 'beam'], ['bmaj_deconv_wcs(arcsec)', 'deconvolved'],
  ['bmin_deconv_wcs(arcsec)', 'deconvolved'], ['pa_deconv_wcs(deg)', 'deconvolved'], ['fitBeamEllipseEccentricityRatio', ''], ['fitBeamEllipseAreaRatio', ''],
  ['fitBeamEllipseRotAngle', ''], ['bkgSum(Jy/beam)', ''], ['rmsSum(Jy/beam)', ''], ['chi2', 'fit chi2'], ['ndf', 'fit degrees of freedom'], ['fitQuality', 'fit quality code'],
  ['sourcenessId', 'sourceness code'], ['morphId', 'morphology code'],
];

function table(title: string, cols: Col[], rows: string[][]): string {
  const head = [
    '# ****************************************************************',
    `# *** ${title} (CIRASA cirasa serve, CAESAR ASCII layout) ***`,
    '# ****************************************************************',
    ...cols.map(([n, m]) => `# ${n} - ${m}`),
    '# ---------------',
    '#',
    `# ${cols.map(([n]) => n).join('\t')}\t`,
  ];
  return [...head, ...rows.map((r) => `${r.join('\t')}\t`)].join('\n') + '\n';
}

/** §7.3 island table. */
export function islandTable(cat: Catalogue): string {
  const rows = cat.sources.map((s) => {
    const area = beamArea(cat, s) ?? beamArea(cat, s.components[0] ?? {});
    const npix = s.npix;
    const b = s.bbox;
    const fitted = s.components.length ? s.components.reduce((t, c) => t + (c.flux ?? 0), 0) : 0;
    const fittedErr = s.components.length ? Math.sqrt(s.components.reduce((t, c) => t + (c.fluxErr ?? 0) ** 2, 0)) : 0;
    const g6 = (v: number | undefined) => formatG(v, 6);
    const g8 = (v: number | undefined) => formatG(v, 8);
    return [
      s.name, s.iauName ?? s.name, String(npix ?? 0), String(s.components.length), String(cat.sources.filter((o) => o.parentId === s.id).length),
      g6(s.x), g6(s.y), g6(s.x), g6(s.y), g8(s.ra), g8(s.dec), g8(s.ra), g8(s.dec),
      g8(b?.xmin), g8(b?.xmax), g8(b?.ymin), g8(b?.ymax), 'nan', 'nan', 'nan', 'nan', '-999',
      // ASCII Stot is the pixel sum (Jy/beam), i.e. the flux in Jy times the beam area
      g8(s.flux !== undefined && area !== undefined ? s.flux * area : undefined), g8(s.peak), g8(fitted), g8(fittedErr), g8(area),
      g8(s.bkg !== undefined && npix ? s.bkg * npix : undefined), g8(s.rms !== undefined && npix ? s.rms * npix : undefined),
      String(morphId(s)), String(sourcenessId(s)), '1', s.parentId ? '1' : '0',
    ];
  });
  return table('CAESAR ISLAND CATALOGUE', ISLAND_COLUMNS, rows);
}

/** §7.4 component table: one row per component, islands in catalogue order. */
export function componentTable(cat: Catalogue): string {
  const rows: string[][] = [];
  const g8 = (v: number | undefined) => formatG(v, 8);
  for (const s of cat.sources) {
    const tot = s.components.reduce((t, c) => t + (c.flux ?? 0), 0);
    const totErr = Math.sqrt(s.components.reduce((t, c) => t + (c.fluxErr ?? 0) ** 2, 0));
    s.components.forEach((c: Component) => {
      const area = beamArea(cat, c) ?? beamArea(cat, s);
      rows.push([
        s.name, String(s.npix ?? 0), String(c.index), c.id, formatG(c.x, 6), formatG(c.y, 6), g8(c.xErrPx), g8(c.yErrPx),
        g8(c.ra), g8(c.dec), g8(c.raErr), g8(c.decErr), '-999', g8(c.peak), g8(c.peakErr), g8(c.flux), g8(c.fluxErr), g8(tot), g8(totErr), g8(area),
        g8(c.bmajPx), g8(c.bminPx), g8(c.thetaPxDeg !== undefined ? fold90(c.thetaPxDeg - 90) : undefined), 'nan', 'nan', 'nan',
        g8(c.bmajArcsec), g8(c.bminArcsec), g8(fold90(c.paDeg)), g8(c.bmajErrArcsec), g8(c.bminErrArcsec), g8(c.paErrDeg),
        g8(cat.beam?.bmajArcsec), g8(cat.beam?.bminArcsec), g8(fold90(cat.beam?.paDeg)),
        g8(c.deconvBmajArcsec ?? 0), g8(c.deconvBminArcsec ?? 0), g8(fold90(c.deconvPaDeg) ?? 0), 'nan', 'nan', 'nan',
        g8(s.bkg !== undefined && s.npix ? s.bkg * s.npix : undefined), g8(s.rms !== undefined && s.npix ? s.rms * s.npix : undefined),
        g8(c.chi2 ?? s.chi2), g8(c.ndf ?? s.ndf), String(FIT_ID[c.fitQuality ?? s.fitQuality ?? 'UNKNOWN']), String(sourcenessId(s)), '1',
      ]);
    });
  }
  return table('CAESAR COMPONENT CATALOGUE', COMPONENT_COLUMNS, rows);
}
