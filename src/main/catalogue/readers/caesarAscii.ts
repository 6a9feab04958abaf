/**
 * CAESAR island (`catalog-*.dat`) and fitted-component (`catalog_fitcomp-*.dat`) ASCII tables
 * (caesar-rest-api.md §7.3, §7.4): `#` header lines ending with `# name<TAB>name<TAB>...<TAB>`, then
 * tab-separated rows (trailing tab), nan/inf spelled so. Reading an island table also attaches the
 * components from the sibling `catalog_fitcomp-<base>.dat` when it exists; reading a component table
 * alone rebuilds one source per island from its components.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Component, Source } from '../../../shared/domain/source';
import { foldAxisAngle, makeCatalogue } from '../../../shared/domain/source';
import type { CatalogueReader, ReadOptions } from '../types';
import { cellNumber, compact, extraOf, parseFailed, stem } from '../parseUtil';
import { pixelToSky } from '../skyGeometry';
import { fitQualityFromCode, morphologyFromCode, parentName, sourcenessFromCode, topIslandName, typeFromMorphology } from './caesarCodes';

type Row = { line: number; cells: Record<string, string> };

/** The table: column names from the last `# ` header line, rows as name → text. */
export function parseCaesarTable(path: string, text: string, required: string[]): Row[] {
  const lines = text.split(/\r?\n/);
  let names: string[] | undefined;
  const rows: Row[] = [];
  lines.forEach((line, i) => {
    if (line.startsWith('#')) {
      if (line.includes('\t')) names = line.replace(/^#\s?/, '').split('\t').map((s) => s.trim()).filter(Boolean);
      return;
    }
    if (line.trim() === '') return;
    if (!names) throw parseFailed(path, 'data before the `# name<TAB>...` column header', { line: i + 1 });
    const cells = line.split('\t');
    if (cells.length && cells[cells.length - 1]!.trim() === '') cells.pop();
    if (cells.length !== names.length) throw parseFailed(path, `${cells.length} tab-separated values, header has ${names.length}`, { line: i + 1 });
    const rec: Record<string, string> = {};
    names.forEach((n, k) => (rec[n] = cells[k]!.trim()));
    rows.push({ line: i + 1, cells: rec });
  });
  if (!names) throw parseFailed(path, 'no `# name<TAB>...` column header (not a CAESAR table)', {});
  const missing = required.filter((r) => !names!.includes(r));
  if (missing.length) throw parseFailed(path, `missing column(s) ${missing.join(', ')}`, { field: missing[0] });
  return rows;
}

function numOf(path: string, r: Row, col: string): number | undefined {
  const t = r.cells[col];
  if (t === undefined) return undefined;
  return cellNumber(path, t, { line: r.line, field: col });
}

const ISLAND_REQUIRED = ['name', 'npix', 'x', 'y', 'x_wcs(deg)', 'y_wcs(deg)', 'Smax(Jy/beam)', 'S(Jy)', 'beamArea', 'morphId', 'sourcenessId', 'sourceNestedLevel'];
const COMP_REQUIRED = ['name', 'componentId', 'x', 'y', 'x_wcs(deg)', 'y_wcs(deg)', 'Speak(Jy/beam)', 'S(Jy)', 'bmaj', 'bmin', 'pa', 'bmaj_wcs(arcsec)', 'bmin_wcs(arcsec)', 'pa_wcs(deg)'];

function islandFromRow(path: string, r: Row): Source {
  const n = (c: string) => numOf(path, r, c);
  const name = r.cells.name!;
  const npix = n('npix');
  const morphology = morphologyFromCode(n('morphId'));
  const fitted = n('S(Jy)');
  const beamArea = n('beamArea');
  const stot = n('Stot(Jy/beam)');
  const rmsSum = n('rmsSum(Jy/beam)');
  const rms = rmsSum !== undefined && npix ? rmsSum / npix : undefined;
  const bkgSum = n('bkgSum(Jy/beam)');
  const peak = n('Smax(Jy/beam)');
  const parent = parentName(name);
  const xmin = n('xmin'), xmax = n('xmax'), ymin = n('ymin'), ymax = n('ymax');
  return compact<Source>({
    id: name,
    name,
    iauName: r.cells.iauName,
    finder: 'caesar',
    type: typeFromMorphology(morphology),
    islandId: topIslandName(name),
    parentId: parent,
    npix,
    x: n('x')!,
    y: n('y')!,
    ra: n('x_wcs(deg)'),
    dec: n('y_wcs(deg)'),
    peak,
    // S(Jy) is 0 when the island was not fitted: fall back to the pixel sum over the beam area.
    flux: fitted ? fitted : stot !== undefined && beamArea ? stot / beamArea : undefined,
    fluxErr: fitted ? n('Serr(Jy)') : undefined,
    snr: peak !== undefined && rms ? peak / rms : undefined,
    rms,
    bkg: bkgSum !== undefined && npix ? bkgSum / npix : undefined,
    bbox: xmin !== undefined && xmax !== undefined && ymin !== undefined && ymax !== undefined ? { xmin, xmax, ymin, ymax } : undefined,
    labels: { sourceness: sourcenessFromCode(n('sourcenessId')), morphology },
    components: [],
    extra: extraOf({ x_w: n('x_w'), y_w: n('y_w'), nuGHz: n('nu(GHz)'), beamAreaPx: beamArea, isGoodSource: n('isGoodSource'), nestLevel: n('sourceNestedLevel') }),
  });
}

function componentFromRow(path: string, r: Row): Component {
  const n = (c: string) => numOf(path, r, c);
  const k = n('componentId') ?? 1;
  const paPx = n('pa');
  const pa = n('pa_wcs(deg)');
  return compact<Component>({
    id: `${r.cells.name}_fitcomp${k}`,
    index: k,
    x: n('x')!,
    y: n('y')!,
    xErrPx: n('x_err'),
    yErrPx: n('y_err'),
    ra: n('x_wcs(deg)'),
    dec: n('y_wcs(deg)'),
    raErr: n('x_wcs_err(deg)'),
    decErr: n('y_wcs_err(deg)'),
    peak: n('Speak(Jy/beam)'),
    peakErr: n('Speak_err(Jy/beam)'),
    flux: n('S(Jy)'),
    fluxErr: n('S_err(Jy)'),
    bmajPx: n('bmaj'),
    bminPx: n('bmin'),
    // CAESAR pixel pa = θ − 90 (from the image +y axis): θ = pa + 90.
    thetaPxDeg: paPx !== undefined ? foldAxisAngle(paPx + 90) : undefined,
    bmajArcsec: n('bmaj_wcs(arcsec)'),
    bminArcsec: n('bmin_wcs(arcsec)'),
    paDeg: pa !== undefined ? foldAxisAngle(pa) : undefined,
    bmajErrArcsec: n('bmaj_wcs_err(arcsec)'),
    bminErrArcsec: n('bmin_wcs_err(arcsec)'),
    paErrDeg: n('pa_wcs_err(deg)'),
    deconvBmajArcsec: n('bmaj_deconv_wcs(arcsec)') || undefined,
    deconvBminArcsec: n('bmin_deconv_wcs(arcsec)') || undefined,
    deconvPaDeg: n('bmaj_deconv_wcs(arcsec)') ? foldAxisAngle(n('pa_deconv_wcs(deg)') ?? 0) : undefined,
    chi2: n('chi2'),
    ndf: n('ndf'),
    fitQuality: fitQualityFromCode(n('fitQuality')),
    labels: { sourceness: sourcenessFromCode(n('sourcenessId')), morphology: morphologyFromCode(n('morphId')) },
    extra: r.cells.iauName ? { iauName: r.cells.iauName } : undefined,
  });
}

async function readComponents(path: string): Promise<Map<string, { comps: Component[]; rows: Row[] }>> {
  const rows = parseCaesarTable(path, await readFile(path, 'utf8'), COMP_REQUIRED);
  const byIsland = new Map<string, { comps: Component[]; rows: Row[] }>();
  for (const r of rows) {
    const e = byIsland.get(r.cells.name!) ?? { comps: [], rows: [] };
    e.comps.push(componentFromRow(path, r));
    e.rows.push(r);
    byIsland.set(r.cells.name!, e);
  }
  return byIsland;
}

function attach(s: Source, comps: Component[]): void {
  s.components = comps;
  const c0 = comps[0];
  if (c0) {
    s.fitQuality = c0.fitQuality;
    s.chi2 = c0.chi2;
    s.ndf = c0.ndf;
  }
  // A single-Gaussian island: its shape is the fit's (what CSV/VOTable rows and DS9 ellipses show).
  if (comps.length === 1 && c0) {
    for (const k of ['bmajArcsec', 'bminArcsec', 'paDeg', 'bmajPx', 'bminPx', 'thetaPxDeg', 'deconvBmajArcsec', 'deconvBminArcsec', 'deconvPaDeg'] as const) {
      if (c0[k] !== undefined) s[k] = c0[k];
    }
  }
}

export const caesarIslandAsciiReader: CatalogueReader = {
  id: 'caesar-ascii',
  detect: (_p, head) => /^#[^\n]*\n/.test(head.toString('utf8', 0, 64)) && /#\s?name\tiauName\tnpix\tnComponents/.test(head.toString('utf8')),
  async read(path: string, opts: ReadOptions) {
    const rows = parseCaesarTable(path, await readFile(path, 'utf8'), ISLAND_REQUIRED);
    const sources = rows.map((r) => islandFromRow(path, r));
    const sibling = join(dirname(path), basename(path).replace(/^catalog-/, 'catalog_fitcomp-'));
    if (sibling !== path && existsSync(sibling)) {
      const comps = await readComponents(sibling);
      for (const s of sources) attach(s, comps.get(s.name)?.comps ?? []);
    }
    return makeCatalogue({ name: opts.name ?? stem(path), finder: 'caesar', frame: opts.frame ?? 'fk5', sources });
  },
};

export const caesarComponentAsciiReader: CatalogueReader = {
  id: 'caesar-components-ascii',
  detect: (_p, head) => /#\s?name\tnpix\tcomponentId\tiauName/.test(head.toString('utf8')),
  async read(path: string, opts: ReadOptions) {
    const byIsland = await readComponents(path);
    const sources: Source[] = [];
    for (const [name, { comps, rows }] of byIsland) {
      const n = (c: string) => numOf(path, rows[0]!, c);
      const flux = comps.reduce((a, c) => a + (c.flux ?? 0), 0) || 1;
      const s: Source = compact<Source>({
        id: name,
        name,
        finder: 'caesar',
        type: typeFromMorphology(comps[0]?.labels?.morphology),
        islandId: topIslandName(name),
        parentId: parentName(name),
        npix: n('npix'),
        // No island table: centre = flux-weighted mean of the components.
        x: comps.reduce((a, c) => a + c.x * (c.flux ?? 0), 0) / flux,
        y: comps.reduce((a, c) => a + c.y * (c.flux ?? 0), 0) / flux,
        peak: Math.max(...comps.map((c) => c.peak ?? -Infinity)),
        flux: n('S_island(Jy)'),
        fluxErr: n('S_island_err(Jy)'),
        labels: comps[0]?.labels,
        components: [],
      });
      if (!Number.isFinite(s.peak)) delete s.peak;
      if (comps.length === 1) {
        s.ra = comps[0]!.ra;
        s.dec = comps[0]!.dec;
      } else {
        const w = pixelToSky(opts, s, opts.frame ?? 'fk5');
        if (w) [s.ra, s.dec] = [w.lon, w.lat];
      }
      attach(s, comps);
      sources.push(s);
    }
    return makeCatalogue({ name: opts.name ?? stem(path), finder: 'caesar', frame: opts.frame ?? 'fk5', sources });
  },
};
