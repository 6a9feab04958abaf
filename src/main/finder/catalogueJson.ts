/**
 * `cirasa find --format json` written straight from the finder's result: byte for byte what
 * `exportCatalogue(toCatalogue(result, info), 'json', out)` writes, without its costs on 10⁵
 * sources (a [x, y] array per contour vertex, every source object alive at once, one 80 MB string).
 * Compact sources go through `SourceJsonWriter` (bytes from the islands, no objects); with extended
 * islands (parentId links) the catalogue's sources are built first and each is stringified with its
 * contour spliced in as text (`SourceJsonEncoder`). Either is flushed to the file every 4 MB.
 */
import { openSync, writeSync, closeSync } from 'node:fs';
import type { Source } from '../../shared/domain/source';
import { writeContourJson } from './catalogueNumbers';
import { SourceJsonWriter } from './sourceJsonWriter';
import { buildCatalogue, islandsWithComponents, type CatalogueInfo } from './toCatalogue';
import type { FinderResult } from './types';

// a string no catalogue field holds (a NUL character), replaced by the real text after stringify
const MARK = '\u0000';
const MARK_JSON = JSON.stringify(MARK);
// its escape without the quotes: a backslash is rare in the text, a quote starts every key, so
// indexOf finds this ~5× faster
const MARK_ESCAPE = MARK_JSON.slice(1, -1);

/** Where MARK_JSON starts in `text`, or −1. */
function markAt(text: string): number {
  const at = text.indexOf(MARK_ESCAPE) - 1;
  return at >= 0 && text.startsWith(MARK_JSON, at) ? at : text.indexOf(MARK_JSON);
}
const FLUSH_BYTES = 4 << 20;
const COMMA = 0x2c;

/**
 * Catalogue sources (built with flat contours) appended as UTF-8 JSON to a growing
 * buffer: each source is stringified with a mark for its contour, which is written as bytes
 * straight from the flat list between the two halves of its text.
 */
export class SourceJsonEncoder {
  buf: Uint8Array;
  used = 0;
  private readonly encoder = new TextEncoder();

  constructor(initialBytes = 1 << 20) {
    this.buf = new Uint8Array(initialBytes);
  }

  private put(text: string): void {
    this.used += this.encoder.encodeInto(text, this.buf.subarray(this.used)).written;
  }

  /** Appends `s` (a ',' before it when `comma`); its objects may be dropped afterwards. */
  append(s: Source, comma: boolean): void {
    const flat = s.contour as unknown as number[] | undefined;
    if (flat !== undefined) (s as { contour: unknown }).contour = MARK;
    const text = JSON.stringify(s);
    // UTF-8 needs at most 3 bytes per UTF-16 unit; a contour vertex at most 2 numbers of 24 + 4 bytes
    const need = 1 + 3 * text.length + (flat ? 2 + 26 * flat.length : 0);
    if (this.buf.length - this.used < need) {
      const grown = new Uint8Array(Math.max(2 * this.buf.length, this.used + need));
      grown.set(this.buf.subarray(0, this.used));
      this.buf = grown;
    }
    if (comma) this.buf[this.used++] = COMMA;
    const at = flat === undefined ? -1 : markAt(text);
    if (at < 0) {
      this.put(text);
      return;
    }
    this.put(text.slice(0, at));
    this.used = writeContourJson(flat!, this.buf, this.used);
    this.put(text.slice(at + MARK_JSON.length));
  }
}

/**
 * The compact sources of `result` (no extended islands) as UTF-8 JSON texts joined by ',' (no
 * brackets): a slice of the catalogue's `sources` array, written by `SourceJsonWriter`.
 */
export function sourcesJsonBytes(result: FinderResult, info: CatalogueInfo, flush?: (bytes: Uint8Array) => void, flushBytes = FLUSH_BYTES): Uint8Array {
  const writer = new SourceJsonWriter(info);
  let first = true;
  for (const [isl, comps] of islandsWithComponents(result)) {
    // with a sink the buffer is emptied into it once it holds a few MB (constant memory)
    if (flush && writer.used >= flushBytes) {
      flush(writer.buf.subarray(0, writer.used));
      writer.used = 0;
    }
    writer.append(isl, comps, isl.id, !first);
    first = false;
  }
  return writer.buf.subarray(0, writer.used);
}

/** Catalogue sources (with flat contours) as JSON texts joined by ','; flushed every `flushBytes` when `flush` is given. */
function encodeSources(sources: Iterable<Source>, flush?: (bytes: Uint8Array) => void, flushBytes = FLUSH_BYTES): Uint8Array {
  const enc = new SourceJsonEncoder();
  let first = true;
  for (const s of sources) {
    // with a sink the buffer is emptied into it once it holds a few MB (constant memory)
    if (flush && enc.used >= flushBytes) {
      flush(enc.buf.subarray(0, enc.used));
      enc.used = 0;
    }
    enc.append(s, !first);
    first = false;
  }
  return enc.buf.subarray(0, enc.used);
}

/** The JSON exporter's envelope around the sources: text before and after the `sources` array's content. */
export function catalogueEnvelope(result: FinderResult, info: CatalogueInfo): { head: string; tail: string } {
  const cat = buildCatalogue({ ...result, islands: [], components: [], extended: [] }, info, (flat) => flat);
  const envelope = JSON.stringify({ cirasaCatalogue: 1, catalogue: { ...cat, sources: MARK } }) + '\n';
  const at = envelope.indexOf(MARK_JSON);
  return { head: `${envelope.slice(0, at)}[`, tail: `]${envelope.slice(at + MARK_JSON.length)}` };
}

/** Writes the catalogue JSON of `result` to `out` (same bytes as the JSON exporter on `toCatalogue`). */
export function writeCatalogueJson(result: FinderResult, info: CatalogueInfo, out: string): void {
  const fd = openSync(out, 'w');
  try {
    const { head, tail } = catalogueEnvelope(result, info);
    const flush = (bytes: Uint8Array): void => writeAll(fd, bytes);
    writeAll(fd, Buffer.from(head, 'utf8'));
    // compact sources only: each is encoded as soon as it is built (no live catalogue, little GC);
    // with extended islands the whole catalogue is built first (parentId links)
    const extended = (result.extended?.length ?? 0) > 0;
    writeAll(fd, extended ? encodeSources(buildCatalogue(result, info, (flat) => flat).sources, flush) : sourcesJsonBytes(result, info, flush));
    writeAll(fd, Buffer.from(tail, 'utf8'));
  } finally {
    closeSync(fd);
  }
}

export function writeAll(fd: number, bytes: Uint8Array): void {
  for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off);
}
