/**
 * Reader of the truth CSV written by `cirasa simulate`: id,ra,dec,x,y,peak,flux,bmaj,bmin,pa,type
 * (deg; Pixel0; Jy/beam; Jy; arcsec FWHM as observed; deg E of N; point|extended).
 * Columns are found by header name, so added columns do not break it.
 */
import type { TruthSource } from './types';

const REQUIRED = ['id', 'x', 'y', 'peak', 'flux', 'bmaj', 'type'] as const;

/** Parses the CSV text; `pixelArcsec` converts bmaj (arcsec) to pixels. Throws naming the line on bad rows. */
export function parseTruthCsv(text: string, pixelArcsec: number, source = 'truth CSV'): TruthSource[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new Error(`${source}: empty file (expected a header line)`);
  const header = lines[0].split(',').map((h) => h.trim());
  const col: Record<string, number> = {};
  for (const name of REQUIRED) {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${source}: header has no "${name}" column (line 1: ${lines[0]})`);
    col[name] = i;
  }
  return lines.slice(1).map((line, k) => {
    const f = line.split(',');
    const num = (name: string): number => {
      const v = Number(f[col[name]]);
      if (!Number.isFinite(v)) throw new Error(`${source}: line ${k + 2}: "${name}" is not a number (${f[col[name]]})`);
      return v;
    };
    const type = f[col.type]?.trim();
    if (type !== 'point' && type !== 'extended') throw new Error(`${source}: line ${k + 2}: type must be point|extended (got ${type})`);
    return { id: num('id'), x: num('x'), y: num('y'), peak: num('peak'), flux: num('flux'), majorFwhmPx: num('bmaj') / pixelArcsec, type };
  });
}
