/**
 * `catalogue.regionFilter`: the sources of a catalogue inside DS9 regions and/or shapes drawn on the image.
 * Positions are the stored Pixel0 x/y; sky regions are mapped with the WCS of the catalogue's image.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FilterIdsResult } from '../../shared/contract/catalogues';
import { AppError } from '../../shared/contract/errors';
import type { DrawnShape } from '../../shared/contract/session';
import { geometryFromImage } from '../catalogue';
import type { Store } from '../store';
import type { Wcs } from '../wcs';
import { drawnToPixelShape, regionToPixelShape, selectInShapes, type PixelShape } from './regionFilterGeometry';
import { parseDs9Regions } from './regionFilterParse';

export interface RegionFilterInput {
  catalogueId: number;
  regionPath?: string;
  shapes?: DrawnShape[];
}

/** Ids (ascending) of the catalogue's sources selected by the regions. */
export async function regionFilterIds(store: Store, input: RegionFilterInput): Promise<Int32Array> {
  const cat = store.catalogues.get(input.catalogueId);
  if (!cat) throw new AppError('notFound', `no catalogue ${input.catalogueId} in the store`, { catalogueId: input.catalogueId });
  if (!input.regionPath && !(input.shapes && input.shapes.length > 0)) {
    throw new AppError('validation', 'a region filter needs a DS9 region file or at least one drawn shape', {});
  }
  const shapes: PixelShape[] = (input.shapes ?? []).map(drawnToPixelShape);
  if (input.regionPath) {
    const path = resolve(input.regionPath);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      throw new AppError('notFound', `${path}: cannot read the region file (${err instanceof Error ? err.message : String(err)})`, { file: path });
    }
    const regions = parseDs9Regions(text, path);
    const needsWcs = regions.some((r) => r.frame !== 'image' || r.args.some((a) => /["'dr]$/.test(a)));
    const wcs = needsWcs ? await imageWcs(cat.imagePath) : null;
    for (const r of regions) shapes.push(regionToPixelShape(r, wcs, path));
  }
  const range = store.db.prepare('SELECT first_source_id AS first, last_source_id AS last FROM catalogues WHERE id = ?')
    .get(cat.id) as { first: number | null; last: number | null };
  if (range.first === null || range.last === null) return new Int32Array(0);
  const rows = store.db.prepare('SELECT id, x, y FROM sources WHERE id BETWEEN ? AND ? AND +catalogue_id = ? ORDER BY id')
    .raw().all(range.first, range.last, cat.id) as [number, number, number][];
  const xs = new Float64Array(rows.length), ys = new Float64Array(rows.length);
  rows.forEach((r, i) => {
    xs[i] = r[1];
    ys[i] = r[2];
  });
  const picked = selectInShapes(shapes, xs, ys);
  return Int32Array.from(picked, (i) => rows[i]![0]);
}

export async function regionFilter(store: Store, input: RegionFilterInput): Promise<FilterIdsResult> {
  const ids = await regionFilterIds(store, input);
  return { count: ids.length, idsBase64: Buffer.from(ids.buffer, ids.byteOffset, ids.byteLength).toString('base64') };
}

async function imageWcs(imagePath: string | undefined): Promise<Wcs | null> {
  if (!imagePath) return null;
  try {
    return (await geometryFromImage(imagePath)).wcs ?? null;
  } catch {
    return null; // regionToPixelShape explains that the sky region needs a readable image
  }
}
