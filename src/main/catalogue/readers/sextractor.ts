/**
 * SExtractor catalogues: ASCII_HEAD (`#   1 NUMBER  description  [unit]` header, whitespace rows) and
 * FITS_LDAC (LDAC_OBJECTS BINTABLE; LDAC_IMHEAD holds the image header, used for the WCS and beam when
 * none is given).
 *
 * Mapping (documented conventions):
 * - X_IMAGE/Y_IMAGE are 1-based FITS pixels → x = X_IMAGE − 1 (Pixel0); same for the bbox columns.
 * - A_IMAGE/B_IMAGE are profile RMS (σ) along the axes → FWHM = 2.3548 σ (Gaussian-equivalent), then
 *   arcsec with the local scale of the WCS along each axis.
 * - THETA_IMAGE is CCW from +x → `thetaPxDeg`; the sky PA (E of N) is computed through the WCS
 *   (skyGeometry.ts). SExtractor's own THETA_J2000 is NOT used: with a rotated, east-left WCS it
 *   disagrees with astropy's position angle by several degrees (see the test), while ours agrees.
 * - FLUX_MAX → peak (image units, Jy/beam for radio maps). FLUX_AUTO (else ISO/BEST/APER) is a pixel
 *   sum → flux in Jy = sum / (pixels per beam) when the beam and pixel scale are known, else absent
 *   (the raw value stays in `extra`). snr = FLUX / FLUXERR.
 * - ALPHA_J2000/DELTA_J2000 → ra/dec (fk5) unless both are 0 (no WCS at extraction) and a WCS is given.
 * - type: 'extended' when the FWHM major axis exceeds 1.5 × the beam's, else 'point'.
 */
import { readFile } from 'node:fs/promises';
import { buildHeader } from '../../fits';
import { parseWcs } from '../../wcs';
import type { Wcs } from '../../wcs';
import { findBeam } from '../../fits';
import type { Catalogue, CatalogueBeam, Source } from '../../../shared/domain/source';
import { foldAxisAngle, makeCatalogue } from '../../../shared/domain/source';
import type { CatalogueReader, ReadOptions } from '../types';
import { cellNumber, compact, extraOf, parseFailed, stem } from '../parseUtil';
import { arcsecPerPixel, pixelToSky, thetaToPaDeg, type PixelGeometry } from '../skyGeometry';
import { readFitsTable } from '../fitsTable';

const FWHM_PER_SIGMA = 2 * Math.sqrt(2 * Math.LN2);
type Row = Record<string, number | string>;

function pick(row: Row, ...names: string[]): number | undefined {
  for (const n of names) {
    const v = row[n];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return undefined;
}

/** Pixels per beam: π·bmaj·bmin / (4 ln 2) over the pixel area (both in arcsec). */
function beamAreaPx(beam: CatalogueBeam | undefined, g: PixelGeometry): number | undefined {
  if (!beam) return undefined;
  const sx = g.wcs ? g.wcs.pixelScaleDeg.x * 3600 : g.pixelScaleArcsec;
  const sy = g.wcs ? g.wcs.pixelScaleDeg.y * 3600 : g.pixelScaleArcsec;
  if (!sx || !sy) return undefined;
  return (Math.PI * beam.bmajArcsec * beam.bminArcsec) / (4 * Math.LN2) / (sx * sy);
}

function rowToSource(row: Row, g: PixelGeometry, beam: CatalogueBeam | undefined, area: number | undefined): Source {
  const number = pick(row, 'NUMBER');
  const name = number !== undefined ? String(number) : String(row.__row);
  const x = (pick(row, 'X_IMAGE', 'XWIN_IMAGE', 'X_IMAGE_DBL', 'XPEAK_IMAGE') ?? 1) - 1;
  const y = (pick(row, 'Y_IMAGE', 'YWIN_IMAGE', 'Y_IMAGE_DBL', 'YPEAK_IMAGE') ?? 1) - 1;
  const p = { x, y };
  let ra = pick(row, 'ALPHA_J2000');
  let dec = pick(row, 'DELTA_J2000');
  if ((ra === undefined || dec === undefined || (ra === 0 && dec === 0)) && g.wcs) {
    const w = pixelToSky(g, p, 'fk5');
    ra = w?.lon;
    dec = w?.lat;
  }
  const a = pick(row, 'A_IMAGE', 'AWIN_IMAGE');
  const b = pick(row, 'B_IMAGE', 'BWIN_IMAGE');
  const theta = pick(row, 'THETA_IMAGE', 'THETAWIN_IMAGE');
  const bmajPx = a !== undefined ? a * FWHM_PER_SIGMA : undefined;
  const bminPx = b !== undefined ? b * FWHM_PER_SIGMA : undefined;
  const thetaPxDeg = theta !== undefined ? foldAxisAngle(theta) : undefined;
  let bmajArcsec: number | undefined;
  let bminArcsec: number | undefined;
  let paDeg: number | undefined;
  if (thetaPxDeg !== undefined) {
    const sMaj = arcsecPerPixel(g, p, thetaPxDeg);
    const sMin = arcsecPerPixel(g, p, thetaPxDeg + 90);
    bmajArcsec = bmajPx !== undefined && sMaj ? bmajPx * sMaj : undefined;
    bminArcsec = bminPx !== undefined && sMin ? bminPx * sMin : undefined;
    paDeg = thetaToPaDeg(g, p, thetaPxDeg, 'fk5');
  }
  const rawFlux = pick(row, 'FLUX_AUTO', 'FLUX_ISO', 'FLUX_BEST', 'FLUX_APER');
  const rawErr = pick(row, 'FLUXERR_AUTO', 'FLUXERR_ISO', 'FLUXERR_BEST', 'FLUXERR_APER');
  const ex2 = pick(row, 'ERRX2_IMAGE', 'ERRX2WIN_IMAGE');
  const ey2 = pick(row, 'ERRY2_IMAGE', 'ERRY2WIN_IMAGE');
  const xmin = pick(row, 'XMIN_IMAGE');
  const xmax = pick(row, 'XMAX_IMAGE');
  const ymin = pick(row, 'YMIN_IMAGE');
  const ymax = pick(row, 'YMAX_IMAGE');
  const extended = beam && bmajArcsec !== undefined && bmajArcsec > 1.5 * beam.bmajArcsec;
  const { __row: _ignored, ...columns } = row;
  return compact<Source>({
    id: name,
    name,
    finder: 'sextractor',
    type: extended ? 'extended' : 'point',
    islandId: name,
    x,
    y,
    xErrPx: ex2 !== undefined ? Math.sqrt(ex2) : undefined,
    yErrPx: ey2 !== undefined ? Math.sqrt(ey2) : undefined,
    ra,
    dec,
    peak: pick(row, 'FLUX_MAX'),
    flux: rawFlux !== undefined && area ? rawFlux / area : undefined,
    fluxErr: rawErr !== undefined && area ? rawErr / area : undefined,
    snr: rawFlux !== undefined && rawErr ? rawFlux / rawErr : undefined,
    bmajPx,
    bminPx,
    thetaPxDeg,
    bmajArcsec,
    bminArcsec,
    paDeg,
    npix: pick(row, 'ISOAREA_IMAGE'),
    flags: pick(row, 'FLAGS'),
    bbox: xmin !== undefined && xmax !== undefined && ymin !== undefined && ymax !== undefined
      ? { xmin: xmin - 1, xmax: xmax - 1, ymin: ymin - 1, ymax: ymax - 1 }
      : undefined,
    components: [],
    extra: extraOf(columns),
  });
}

function toCatalogue(path: string, rows: Row[], opts: ReadOptions, wcs?: Wcs, beam?: CatalogueBeam): Catalogue {
  const g: PixelGeometry = { wcs: opts.wcs ?? wcs, pixelScaleArcsec: opts.pixelScaleArcsec };
  const b = opts.beam ?? beam;
  const area = beamAreaPx(b, g);
  return makeCatalogue({ name: opts.name ?? stem(path), finder: 'sextractor', frame: 'fk5', beam: b, sources: rows.map((r) => rowToSource(r, g, b, area)) });
}

/** Parse the `#   N NAME  description [unit]` header; vector columns get NAME, NAME_2, ... */
export function parseAsciiHead(path: string, text: string): Row[] {
  const lines = text.split(/\r?\n/);
  const heads: { index: number; name: string }[] = [];
  const rows: Row[] = [];
  let names: string[] | undefined;
  lines.forEach((line, i) => {
    const lineNo = i + 1;
    if (line.startsWith('#')) {
      const m = /^#\s+(\d+)\s+(\S+)/.exec(line);
      if (!m) throw parseFailed(path, 'header line is not `# N NAME ...`', { line: lineNo });
      heads.push({ index: Number(m[1]), name: m[2]! });
      return;
    }
    if (line.trim() === '') return;
    const cells = line.trim().split(/\s+/);
    if (!names) {
      if (!heads.length) throw parseFailed(path, 'no `#   1 NUMBER ...` header (not a SExtractor ASCII_HEAD catalogue)', { line: lineNo });
      names = [];
      heads.forEach((h, k) => {
        const width = (heads[k + 1]?.index ?? cells.length + 1) - h.index;
        for (let e = 0; e < width; e++) names!.push(e === 0 ? h.name : `${h.name}_${e + 1}`);
      });
    }
    if (cells.length !== names.length) throw parseFailed(path, `${cells.length} values, header declares ${names.length}`, { line: lineNo });
    const row: Row = { __row: rows.length + 1 };
    cells.forEach((c, k) => (row[names![k]!] = cellNumber(path, c, { line: lineNo, column: k + 1, field: names![k] }) ?? NaN));
    rows.push(row);
  });
  return rows;
}

export const sextractorAsciiReader: CatalogueReader = {
  id: 'sextractor-ascii',
  detect: (_path, head) => /^#\s+1\s+[A-Z_0-9]+\s/.test(head.toString('latin1', 0, 200)),
  async read(path, opts) {
    return toCatalogue(path, parseAsciiHead(path, await readFile(path, 'latin1')), opts);
  },
};

export const sextractorLdacReader: CatalogueReader = {
  id: 'sextractor-ldac',
  detect: (_path, head) => head.toString('latin1', 0, 2880 * 2).includes('LDAC_'),
  async read(path, opts) {
    const table = await readFitsTable(path, 'LDAC_OBJECTS').catch((e: unknown) => {
      throw e instanceof Error && 'code' in e ? e : parseFailed(path, String(e));
    });
    const rows: Row[] = [];
    for (let r = 0; r < table.rows; r++) {
      const row: Row = { __row: r + 1 };
      for (const c of table.columns) {
        const v = c.values[r];
        if (Array.isArray(v)) v.forEach((e, k) => (row[k === 0 ? c.name : `${c.name}_${k + 1}`] = e));
        else if (v !== undefined) row[c.name] = v;
      }
      rows.push(row);
    }
    let wcs: Wcs | undefined;
    let beam: CatalogueBeam | undefined;
    if (!opts.wcs || !opts.beam) {
      // LDAC_IMHEAD: one row, one A column holding the image header as 80-char cards.
      const imhead = await readFitsTable(path, 'LDAC_IMHEAD').catch(() => undefined);
      const text = imhead?.columns[0]?.values[0];
      if (typeof text === 'string') {
        const cards = text.match(/.{1,80}/gs) ?? [];
        const { header } = buildHeader(cards, `${path} LDAC_IMHEAD`);
        try {
          wcs = parseWcs(header.values, `${path} LDAC_IMHEAD`);
        } catch {
          wcs = undefined; // no celestial WCS in the image: sizes stay in pixels
        }
        const fb = findBeam(header);
        if (fb) beam = { bmajArcsec: fb.bmajDeg * 3600, bminArcsec: fb.bminDeg * 3600, paDeg: fb.bpaDeg };
      }
    }
    return toCatalogue(path, rows, opts, wcs, beam);
  },
};
