/**
 * DS9 region files as AREAS for filtering (the catalogue reader in catalogue/readers/ds9Reader.ts reads
 * them as sources instead). Keeps each region's frame, its include/exclude sign and its raw arguments;
 * regionFilterGeometry.ts turns them into Pixel0 shapes. Shapes without area (point, text, line, vector...)
 * select nothing and are skipped; area shapes we do not handle (annulus, panda...) are an error rather than
 * a silently wrong selection.
 */
import type { SkyFrame } from '../../shared/domain/coords';
import { parseFailed } from '../catalogue/parseUtil';

export type RegionFrame = SkyFrame | 'image';
export type RegionKind = 'circle' | 'ellipse' | 'box' | 'polygon';

export interface ParsedRegion {
  kind: RegionKind;
  frame: RegionFrame;
  exclude: boolean;
  args: string[];
  line: number;
}

const FRAMES: Record<string, RegionFrame> = {
  image: 'image', physical: 'image', fk5: 'fk5', j2000: 'fk5', icrs: 'icrs', galactic: 'galactic', fk4: 'fk4', b1950: 'fk4',
};
const AREA_SHAPES = new Set<string>(['circle', 'ellipse', 'box', 'polygon']);
const NO_AREA = new Set(['point', 'text', 'line', 'vector', 'ruler', 'compass', 'projection', 'segment', 'composite']);
const UNSUPPORTED = new Set(['annulus', 'panda', 'epanda', 'bpanda']);

/** Parse the text of a DS9 region file (`path` only names it in errors). */
export function parseDs9Regions(text: string, path: string): ParsedRegion[] {
  const out: ParsedRegion[] = [];
  let frame: RegionFrame = 'image';
  text.split(/\r?\n/).forEach((raw, i) => {
    const lineNo = i + 1;
    const body = stripComment(raw);
    for (const part of body.split(';')) {
      const item = part.trim();
      if (item === '' || /^global\b/i.test(item)) continue;
      const f = FRAMES[item.toLowerCase()];
      if (f) {
        frame = f;
        continue;
      }
      const m = /^([+-]?)\s*([a-z]+)\s*(?:\(([^)]*)\)|\s+(.*))$/i.exec(item);
      if (!m) {
        if (/^(linear|amplifier|detector|ecliptic|helioecliptic|supergalactic|wcs[a-z]?)$/i.test(item)) {
          throw parseFailed(path, `coordinate system '${item}' is not supported for region filters (use image, fk5, icrs, fk4 or galactic)`, { line: lineNo });
        }
        continue;
      }
      const shape = m[2]!.toLowerCase();
      if (UNSUPPORTED.has(shape)) throw parseFailed(path, `${shape} regions are not supported for filtering`, { line: lineNo });
      if (NO_AREA.has(shape) || !AREA_SHAPES.has(shape)) continue;
      const args = (m[3] ?? m[4] ?? '').split(/\s*,\s*|\s+/).filter(Boolean);
      out.push({ kind: shape as RegionKind, frame, exclude: m[1] === '-', args, line: lineNo });
    }
  });
  return out;
}

/** Drop a `#` comment (DS9 properties) unless inside a text={...} or "..." — properties never matter here. */
function stripComment(line: string): string {
  const t = line.trimStart();
  if (t.startsWith('#')) return '';
  const k = line.indexOf('#');
  return k < 0 ? line : line.slice(0, k);
}
