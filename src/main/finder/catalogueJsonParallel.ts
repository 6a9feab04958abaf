/**
 * The catalogue JSON of a finished run built on worker threads: the islands (canonical order) are cut
 * into one contiguous slice per thread; each worker computes its sources' sky positions (WCS from the
 * header) and their JSON text, and the main thread writes envelope + slices in order. Same bytes as
 * `writeCatalogueJson` (the sources are independent once the ids are canonical); on 2 cores this
 * halves the ~3 s serial tail after the tiles of a 10⁵-source map.
 */
import { closeSync, openSync } from 'node:fs';
import { startWorker } from '../app/workers';
import { AppError } from '../../shared/contract/errors';
import type { HeaderCards } from '../../shared/contract/images';
import { parseWcs } from '../wcs';
import { catalogueEnvelope, sourcesJsonBytes, writeAll, writeCatalogueJson } from './catalogueJson';
import type { CatalogueInfo } from './toCatalogue';
import type { Component, FinderResult, Island } from './types';

/** Where the workers rebuild the WCS from (a Wcs object has methods and cannot be posted). */
export interface WcsSource {
  cards: HeaderCards;
  path: string;
}

export interface CatalogueSliceRequest {
  type: 'catalogueJson';
  islands: Island[];
  components: Component[];
  wcsSource: WcsSource;
  info: Omit<CatalogueInfo, 'wcs'>;
}
export type CatalogueSliceReply = { bytes: Uint8Array } | { error: string };

/** Worker side: the JSON of one slice's sources, UTF-8. */
export function catalogueSliceJson(req: CatalogueSliceRequest): Uint8Array {
  const wcs = parseWcs(req.wcsSource.cards, req.wcsSource.path);
  return sourcesJsonBytes({ islands: req.islands, components: req.components, medianRms: 0 }, { ...req.info, wcs });
}

/** Contiguous island slices with about the same number of islands + components each. */
function slices(result: FinderResult, n: number): { islands: Island[]; components: Component[] }[] {
  const byIsland = new Map<number, Component[]>();
  for (const c of result.components) (byIsland.get(c.islandId) ?? byIsland.set(c.islandId, []).get(c.islandId)!).push(c);
  const total = result.islands.length + result.components.length;
  const out: { islands: Island[]; components: Component[] }[] = [];
  let cur = { islands: [] as Island[], components: [] as Component[] };
  let weight = 0;
  for (const isl of result.islands) {
    const comps = byIsland.get(isl.id) ?? [];
    cur.islands.push(isl);
    for (const c of comps) cur.components.push(c);
    weight += 1 + comps.length;
    if (out.length < n - 1 && weight >= (total * (out.length + 1)) / n) {
      out.push(cur);
      cur = { islands: [], components: [] };
    }
  }
  out.push(cur);
  return out;
}

const YOUNG_GENERATION_MB = 64;

function runSlice(req: CatalogueSliceRequest): Promise<Uint8Array> {
  // a large young generation: the slice's ~10⁵ short-lived objects and strings otherwise cost
  // more in scavenges (survivors copied and promoted) than the work itself
  const w = startWorker('finderWorker', { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
  return new Promise<Uint8Array>((resolve, reject) => {
    w.once('message', (msg: CatalogueSliceReply) => ('error' in msg ? reject(new AppError('internal', `catalogue worker: ${msg.error}`)) : resolve(msg.bytes)));
    w.once('error', reject);
    w.once('exit', (code) => reject(new AppError('internal', `catalogue worker exited with code ${code}`)));
    w.postMessage(req);
  }).finally(() => void w.terminate());
}

/**
 * Writes the catalogue JSON of `result` to `out` with `threads` workers (same bytes as
 * `writeCatalogueJson`, which it uses for 0 threads or when extended islands link sources across slices).
 */
export async function writeCatalogueJsonParallel(result: FinderResult, info: CatalogueInfo, wcsSource: WcsSource, out: string, threads: number): Promise<void> {
  if (threads < 1 || (result.extended?.length ?? 0) > 0 || result.islands.length < 2 * threads) return writeCatalogueJson(result, info, out);
  const { wcs: _wcs, ...plain } = info;
  const parts = slices(result, threads).map((s) => runSlice({ type: 'catalogueJson', ...s, wcsSource, info: plain }));
  const { head, tail } = catalogueEnvelope(result, info);
  const fd = openSync(out, 'w');
  try {
    writeAll(fd, Buffer.from(head, 'utf8'));
    let first = true;
    for (const part of parts) {
      const bytes = await part;
      if (bytes.length === 0) continue;
      if (!first) writeAll(fd, Buffer.from(','));
      writeAll(fd, bytes);
      first = false;
    }
    writeAll(fd, Buffer.from(tail, 'utf8'));
  } finally {
    closeSync(fd);
    // a failed slice must not leave the others' rejections unhandled
    await Promise.allSettled(parts);
  }
}
