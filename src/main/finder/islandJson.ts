/**
 * Each island's catalogue JSON built as soon as its detection result reaches the main thread
 * (tiledFinder.ts, while the workers go on with the next tiles), so that after the merge `cirasa
 * find --format json` only joins bytes (the JSON writer was ~0.85 s of the ~1 s serial tail on the
 * crowded 7200² map). Building the texts ON the workers was tried: each worker isolate compiles the
 * catalogue code again and the detect phase grew as much as the tail shrank (2 cores).
 *
 * A compact source's text depends only on its island, its components (in catalogue order: by
 * component id), the WCS, the beam and the island's id: it is written (sourceJsonWriter.ts) with a
 * placeholder id whose digits' offsets are recorded; the join puts the final (canonical) id's digits
 * there. The false-detection control's `minFluxSnr` rule is per component, so it is applied
 * before building (an island left without components gets no text: the control drops it after the
 * merge too). The island-level BH rule and the renumbering need every island: after the merge.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { Beam } from '../../shared/contract/images';
import type { Wcs } from '../wcs';
import { catalogueEnvelope } from './catalogueJson';
import { writeJsonNumber } from './catalogueNumbers';
import { SourceJsonWriter } from './sourceJsonWriter';
import { fluxMeasured } from './falseDetections';
import type { CatalogueInfo } from './toCatalogue';
import { componentsByIsland, type Component, type FinderResult, type Island } from './types';

/** What the islands' JSON is built with: the catalogue's WCS and beam (as `writeCatalogueJson` gets them). */
export interface IslandJsonSpec {
  wcs?: Wcs;
  beam?: Beam;
  /** The false-detection control's per-component rule (FinderOptions.minFluxSnr). */
  minFluxSnr: number;
}

/** A detection result's islands as JSON texts. */
export interface IslandJsonBlock {
  bytes: Buffer;
  /** Peak pixel key (peakY · image width + peakX) of text k. */
  keys: Float64Array;
  /** Text k is bytes[start[k] … start[k + 1]). */
  start: Int32Array;
  /** Text k's id placeholders (PLACEHOLDER_DIGITS bytes each) start at idAt[idStart[k] … idStart[k + 1]). */
  idAt: Int32Array;
  idStart: Int32Array;
}

// written as the id of every island, its digits' offsets recorded; the final id goes there at the join
const PLACEHOLDER_ID = 999999999;
const PLACEHOLDER_DIGITS = String(PLACEHOLDER_ID).length;

/** A builder of IslandJsonBlocks for one image. */
export function islandJsonBuilder(spec: IslandJsonSpec): (islands: Island[], components: Component[], imageWidth: number) => IslandJsonBlock {
  const minFluxSnr = spec.minFluxSnr;
  // one writer (and buffer) for every call (a fresh buffer per tile was ~5 MB to zero each time)
  const writer = new SourceJsonWriter({ wcs: spec.wcs, beam: spec.beam });
  return (islands, components, imageWidth) => {
    const byIsland = componentsByIsland(components);
    writer.used = 0;
    const keys: number[] = [];
    const start: number[] = [];
    const idAt: number[] = [];
    const idStart: number[] = [];
    for (const isl of islands) {
      const comps = byIsland.get(isl.id) ?? [];
      // as dropUnmeasured (falseDetections.ts) will: unmeasured components out, islands left empty dropped
      const measured = minFluxSnr > 0 ? comps.filter((c) => fluxMeasured(c, minFluxSnr)) : comps;
      if (comps.length > 0 && measured.length === 0) continue;
      const ordered = measured.length > 1 ? [...measured].sort((a, b) => a.id - b.id) : measured;
      keys.push(isl.peakY * imageWidth + isl.peakX);
      start.push(writer.used);
      idStart.push(idAt.length);
      writer.append(isl, ordered, PLACEHOLDER_ID, false, idAt);
    }
    start.push(writer.used);
    idStart.push(idAt.length);
    return {
      bytes: Buffer.from(writer.buf.subarray(0, writer.used)),
      keys: Float64Array.from(keys),
      start: Int32Array.from(start),
      idAt: Int32Array.from(idAt),
      idStart: Int32Array.from(idStart),
    };
  };
}

/** The tasks' blocks by island peak pixel (a deferred island finished twice: the texts are equal). */
export class IslandJsonIndex {
  private readonly byKey = new Map<number, { block: IslandJsonBlock; k: number }>();

  constructor(readonly imageWidth: number) {}

  add(block: IslandJsonBlock): void {
    for (let k = 0; k < block.keys.length; k++) if (!this.byKey.has(block.keys[k])) this.byKey.set(block.keys[k], { block, k });
  }

  get(isl: Island): { block: IslandJsonBlock; k: number } | undefined {
    return this.byKey.get(isl.peakY * this.imageWidth + isl.peakX);
  }
}

const FLUSH_BYTES = 4 << 20;

/**
 * Writes the catalogue JSON of `result` (compact sources only, canonical ids) from the islands'
 * texts: the same bytes as `writeCatalogueJson`. False (nothing written) when an island has no text.
 * Two buffers take turns: one is joined while the other is being written (libuv's thread copies it
 * into the page cache meanwhile: the join and the write then overlap on 2 cores).
 */
export async function writeCatalogueJsonFromIslands(result: FinderResult, info: CatalogueInfo, index: IslandJsonIndex, out: string, flushBytes = FLUSH_BYTES): Promise<boolean> {
  if ((result.extended?.length ?? 0) > 0) return false;
  const found = result.islands.map((isl) => index.get(isl));
  if (found.some((f) => f === undefined)) return false;
  const { head, tail } = catalogueEnvelope(result, info);
  const file = await open(out, 'w');
  try {
    const buffers = [Buffer.allocUnsafe(flushBytes + (1 << 16)), Buffer.allocUnsafe(flushBytes + (1 << 16))];
    let turn = 0;
    let buf = buffers[turn];
    let used = 0;
    let writing: Promise<void> = writeAllTo(file, Buffer.from(head, 'utf8'));
    // hands the joined bytes to the writer and takes the other buffer once its write is done
    const flush = async (): Promise<void> => {
      await writing;
      writing = writeAllTo(file, buf.subarray(0, used));
      buffers[turn] = buf;
      turn ^= 1;
      buf = buffers[turn];
      used = 0;
    };
    for (let n = 0; n < found.length; n++) {
      const { block, k } = found[n]!;
      const from = block.start[k];
      const to = block.start[k + 1];
      const ids = block.idStart[k + 1] - block.idStart[k];
      if (used >= flushBytes) await flush();
      // an id's digits (≤ 16 for an integer below 10¹⁵) replace the placeholder's
      const need = 1 + to - from + 16 * ids;
      if (buf.length - used < need) {
        const grown = Buffer.allocUnsafe(used + need + flushBytes);
        buf.copy(grown, 0, 0, used);
        buf = grown;
      }
      if (n > 0) buf[used++] = 0x2c;
      const id = result.islands[n].id;
      // Buffer.copy: no view object per piece (~5 pieces per island)
      const src = block.bytes;
      let at = from;
      for (let j = block.idStart[k]; j < block.idStart[k + 1]; j++) {
        const p = block.idAt[j];
        used += src.copy(buf, used, at, p);
        // an integer's JSON digits are its id text
        used = writeJsonNumber(id, buf, used);
        at = p + PLACEHOLDER_DIGITS;
      }
      used += src.copy(buf, used, at, to);
    }
    await flush();
    await writing;
    await writeAllTo(file, Buffer.from(tail, 'utf8'));
  } finally {
    await file.close();
  }
  return true;
}

async function writeAllTo(file: FileHandle, bytes: Uint8Array): Promise<void> {
  for (let off = 0; off < bytes.length; ) off += (await file.write(bytes, off, bytes.length - off)).bytesWritten;
}
