/**
 * Foreign delimited tables (CSV, TSV, semicolon or blank separated) read through a column mapping chosen
 * in the open-catalogue dialog: which columns hold the position (sky or pixel), name, flux, peak, S/N and
 * size. `previewCsv` shows the head of the file with a mapping guessed from the column names.
 */
import { open, readFile } from 'node:fs/promises';
import type { CsvFluxUnit, CsvMapping, CsvPreview, CsvSizeUnit } from '../../../shared/contract/catalogues';
import { AppError } from '../../../shared/contract/errors';
import type { SkyFrame } from '../../../shared/domain/coords';
import { makeCatalogue, type Catalogue, type Source } from '../../../shared/domain/source';
import { parseSkyCoordinate } from '../../wcs/sexagesimal';
import { compact, parseFailed, stem } from '../parseUtil';
import { pixelToSky, skyToPixel, type PixelGeometry } from '../skyGeometry';
import { parseCsv } from './csvParse';

const PREVIEW_BYTES = 64 * 1024;
const FLUX_SCALE: Record<CsvFluxUnit, number> = { Jy: 1, mJy: 1e-3, uJy: 1e-6 };
const SIZE_ARCSEC: Record<Exclude<CsvSizeUnit, 'px'>, number> = { arcsec: 1, arcmin: 60, deg: 3600 };

/** The delimiter of a header line: tab, comma, semicolon, else runs of blanks. */
export function detectDelimiter(headerLine: string): string {
  for (const d of ['\t', ',', ';']) if (headerLine.includes(d)) return d;
  return ' ';
}

/** Records of a delimited text (comma: RFC 4180 quoting; others: plain split); `#` lines and blank lines skipped. */
function records(path: string, text: string): { delimiter: string; rows: { line: number; fields: string[] }[] } {
  const lines = text.split('\n');
  const first = lines.find((l) => l.trim() !== '' && !l.trimStart().startsWith('#')) ?? '';
  const delimiter = detectDelimiter(first);
  let rows: { line: number; fields: string[] }[];
  if (delimiter === ',') rows = parseCsv(path, text);
  else {
    const split = delimiter === ' ' ? (l: string) => l.trim().split(/\s+/) : (l: string) => l.split(delimiter);
    rows = lines.map((l, i) => ({ line: i + 1, fields: split(l.endsWith('\r') ? l.slice(0, -1) : l) }));
  }
  rows = rows.filter((r) => !(r.fields.length === 1 && r.fields[0]!.trim() === '') && !(r.fields[0] ?? '').trimStart().startsWith('#'));
  return { delimiter, rows: rows.map((r) => ({ line: r.line, fields: r.fields.map((f) => f.trim()) })) };
}

const GUESS: [keyof CsvMapping | 'ra' | 'dec' | 'x' | 'y', RegExp][] = [
  ['ra', /^(ra|ra_?j2000|raj2000|ra_?deg|ra_?icrs|alpha|right_?ascension|_?raj2000)$/i],
  ['dec', /^(dec|de|decl|dec_?j2000|dej2000|dec_?deg|dec_?icrs|delta|declination|_?dej2000)$/i],
  ['x', /^(x|xpix|x_?pix(el)?|x_image|xc|x_?pos)$/i],
  ['y', /^(y|ypix|y_?pix(el)?|y_image|yc|y_?pos)$/i],
  ['name', /^(name|source_?name|src_?name|id|source_?id|source|src|designation|iau_?name)$/i],
  ['flux', /(int(egrated)?_?flux|flux_?int|s_?int|total_?flux|fint|^flux$|^flux_?(jy|mjy|ujy)$|^s(_?\d+(mhz|ghz))?$)/i],
  ['peak', /(peak_?flux|flux_?peak|s_?peak|fpeak|^peak)/i],
  ['snr', /^(snr|s\/n|s_n|signal_?to_?noise)$/i],
  ['bmaj', /^(bmaj|maj|major|maj_?axis|a_?fwhm|fwhm_?maj)/i],
  ['bmin', /^(bmin|min|minor|min_?axis|b_?fwhm|fwhm_?min)/i],
  ['pa', /^(pa|posang|position_?angle|theta)/i],
];

function unitIn(name: string): CsvFluxUnit | undefined {
  if (/mjy/i.test(name)) return 'mJy';
  if (/(ujy|µjy|μjy)/i.test(name)) return 'uJy';
  return undefined;
}

/** The mapping the column names suggest (only what was found). */
export function guessMapping(columns: string[]): Partial<CsvMapping> {
  const found = new Map<string, string>();
  for (const [field, re] of GUESS) {
    const col = columns.find((c) => re.test(c) && ![...found.values()].includes(c));
    if (col) found.set(field, col);
  }
  const guess: Partial<CsvMapping> = {};
  if (found.has('ra') && found.has('dec')) guess.position = { kind: 'sky', ra: found.get('ra')!, dec: found.get('dec')! };
  else if (found.has('x') && found.has('y')) guess.position = { kind: 'pixel', x: found.get('x')!, y: found.get('y')!, base: 0 };
  for (const f of ['name', 'flux', 'peak', 'snr', 'bmaj', 'bmin', 'pa'] as const) if (found.has(f)) guess[f] = found.get(f)!;
  if (guess.flux) guess.fluxUnit = unitIn(guess.flux) ?? 'Jy';
  if (guess.peak) guess.peakUnit = unitIn(guess.peak) ?? 'Jy';
  if (guess.bmaj) guess.sizeUnit = /deg/i.test(guess.bmaj) ? 'deg' : /arcmin/i.test(guess.bmaj) ? 'arcmin' : 'arcsec';
  return guess;
}

export async function previewCsv(path: string): Promise<CsvPreview> {
  let text: string;
  try {
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.alloc(PREVIEW_BYTES);
      const { bytesRead } = await fh.read(buf, 0, PREVIEW_BYTES, 0);
      text = buf.toString('utf8', 0, bytesRead);
      // Drop a partial last line (the preview reads only the head of big files).
      if (bytesRead === PREVIEW_BYTES) text = text.slice(0, text.lastIndexOf('\n') + 1);
    } finally {
      await fh.close();
    }
  } catch (err) {
    throw new AppError('notFound', `${path}: cannot read (${err instanceof Error ? err.message : String(err)})`, { file: path });
  }
  const native = text.startsWith('# cirasa-catalogue-csv');
  const { delimiter, rows } = records(path, text);
  const header = rows[0];
  if (!header) throw parseFailed(path, 'no header line', { line: 1 });
  return { path, delimiter, columns: header.fields, samples: rows.slice(1, 6).map((r) => r.fields), guess: guessMapping(header.fields), native };
}

/** Read a delimited table through a mapping; the geometry (image WCS) converts sky ↔ pixel positions. */
export async function readMappedCsv(
  path: string,
  mapping: CsvMapping,
  opts: PixelGeometry & { frame?: SkyFrame; name?: string },
): Promise<Catalogue> {
  const { rows } = records(path, await readFile(path, 'utf8'));
  const header = rows[0];
  if (!header) throw parseFailed(path, 'no header line', { line: 1 });
  const index = (col: string | undefined, what: string): number | undefined => {
    if (col === undefined) return undefined;
    const k = header.fields.indexOf(col);
    if (k < 0) throw parseFailed(path, `the ${what} column '${col}' is not in the header (${header.fields.join(', ')})`, { line: header.line, field: col });
    return k;
  };
  const pos = mapping.position;
  const [ia, ib] = pos.kind === 'sky' ? [index(pos.ra, 'RA')!, index(pos.dec, 'Dec')!] : [index(pos.x, 'x')!, index(pos.y, 'y')!];
  const frame: SkyFrame = opts.frame ?? opts.wcs?.frame ?? 'fk5';
  if (pos.kind === 'sky' && !opts.wcs) {
    throw new AppError('validation', `${path}: positions are RA/Dec; open the catalogue with its image so its WCS places them on pixels`, { file: path });
  }
  const cols = {
    name: index(mapping.name, 'name'), flux: index(mapping.flux, 'flux'), peak: index(mapping.peak, 'peak'), snr: index(mapping.snr, 'S/N'),
    bmaj: index(mapping.bmaj, 'major axis'), bmin: index(mapping.bmin, 'minor axis'), pa: index(mapping.pa, 'position angle'),
  };
  const fluxScale = FLUX_SCALE[mapping.fluxUnit ?? 'Jy'];
  const peakScale = FLUX_SCALE[mapping.peakUnit ?? 'Jy'];
  const sizeUnit = mapping.sizeUnit ?? 'arcsec';
  const sources: Source[] = [];
  for (const r of rows.slice(1)) {
    if (r.fields.length !== header.fields.length) throw parseFailed(path, `${r.fields.length} fields, header has ${header.fields.length}`, { line: r.line });
    const num = (k: number | undefined, scale = 1): number | undefined => {
      if (k === undefined) return undefined;
      const text = r.fields[k]!;
      if (text === '' || /^(nan|null|--|-)$/i.test(text)) return undefined;
      const v = Number(text);
      if (!Number.isFinite(v)) throw parseFailed(path, `'${text}' is not a number`, { line: r.line, field: header.fields[k] });
      return v * scale;
    };
    let x: number, y: number, ra: number | undefined, dec: number | undefined;
    if (pos.kind === 'sky') {
      const a = r.fields[ia]!, b = r.fields[ib]!;
      const decimal = Number.isFinite(Number(a)) && Number.isFinite(Number(b));
      try {
        [ra, dec] = decimal ? [Number(a), Number(b)] : ((w) => [w.lon, w.lat])(parseSkyCoordinate(`${a} ${b}`, frame));
      } catch (err) {
        throw parseFailed(path, `position '${a} ${b}' is not RA/Dec (${err instanceof Error ? err.message : String(err)})`, { line: r.line, field: header.fields[ia] });
      }
      const p = skyToPixel(opts, { lon: ra!, lat: dec!, frame });
      if (!p) throw parseFailed(path, `RA/Dec ${a} ${b} has no pixel position in the image WCS`, { line: r.line, field: header.fields[ia] });
      ({ x, y } = p);
    } else {
      const px = num(ia), py = num(ib);
      if (px === undefined || py === undefined) throw parseFailed(path, 'row without x/y', { line: r.line, field: header.fields[px === undefined ? ia : ib] });
      x = px - pos.base;
      y = py - pos.base;
      const w = pixelToSky(opts, { x, y }, frame);
      if (w) [ra, dec] = [w.lon, w.lat];
    }
    const size = (k: number | undefined): { arcsec?: number; px?: number } =>
      sizeUnit === 'px' ? { px: num(k) } : { arcsec: num(k, SIZE_ARCSEC[sizeUnit]) };
    const bmaj = size(cols.bmaj), bmin = size(cols.bmin);
    const id = cols.name !== undefined && r.fields[cols.name] !== '' ? r.fields[cols.name]! : String(sources.length + 1);
    sources.push(compact<Source>({
      id, name: id, finder: 'csv', type: 'point', islandId: id, x, y, ra, dec,
      flux: num(cols.flux, fluxScale), peak: num(cols.peak, peakScale), snr: num(cols.snr),
      bmajArcsec: bmaj.arcsec, bminArcsec: bmin.arcsec, bmajPx: bmaj.px, bminPx: bmin.px, paDeg: num(cols.pa), components: [],
    }));
  }
  return makeCatalogue({ name: opts.name ?? stem(path), finder: 'csv', frame, sources });
}
