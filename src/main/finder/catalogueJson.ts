/**
 * `cirasa find --format json` written straight from the finder's result: byte for byte what
 * `exportCatalogue(toCatalogue(result, info), 'json', out)` writes, without its costs on 10⁵
 * sources: a [x, y] array per contour vertex (1.3·10⁶ on the crowded 7200² map), every source object
 * alive at once (old-generation GC), one 86 MB string and its Buffer copy. Each source is built,
 * stringified with its contour left flat and spliced in as text, and encoded at once into a 4 MB
 * buffer that is flushed to the file.
 */
import { openSync, writeSync, closeSync } from 'node:fs';
import type { Source } from '../../shared/domain/source';
import { buildCatalogue, islandSources, type CatalogueInfo } from './toCatalogue';
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

/**
 * Catalogue sources (built with flat contours, `forJson`) appended as UTF-8 JSON to a growing
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
 * brackets): a slice of the catalogue's `sources` array. Each source is encoded as soon as it is
 * built, so its objects and text die young (cheap scavenges instead of a 40 MB live heap).
 */
export function sourcesJsonBytes(result: FinderResult, info: CatalogueInfo, flush?: (bytes: Uint8Array) => void, flushBytes = FLUSH_BYTES): Uint8Array {
  return encodeSources(islandSources(result, info, (flat) => flat, true), flush, flushBytes);
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

const COMMA = 0x2c;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;

/**
 * A flat [x0,y0,x1,y1,…] list as the JSON of its [[x0,y0],[x1,y1],…] pairs, as UTF-8 bytes written into
 * `buf` at `at` (room for 26 bytes per number + 2 assumed); returns the end. Saves building and
 * encoding 2.6·10⁶ number strings on the crowded map.
 */
export function writeContourJson(flat: number[], buf: Uint8Array, at: number): number {
  buf[at++] = OPEN;
  for (let k = 0; k + 1 < flat.length; k += 2) {
    if (k > 0) buf[at++] = COMMA;
    buf[at++] = OPEN;
    at = writeJsonNumber(flat[k], buf, at);
    buf[at++] = COMMA;
    at = writeJsonNumber(flat[k + 1], buf, at);
    buf[at++] = CLOSE;
  }
  buf[at++] = CLOSE;
  return at;
}

/**
 * One number as JSON.stringify writes it, as bytes into `buf` at `at` (≤ 24 bytes); returns the end.
 * Contour vertices are k/1000 (contour.ts) and take the digit-by-digit path.
 */
export function writeJsonNumber(v: number, buf: Uint8Array, at: number): number {
  const n = Math.round(v * 1000);
  if (n / 1000 !== v || !(n > -1e15 && n < 1e15)) {
    const s = JSON.stringify(v);
    for (let c = 0; c < s.length; c++) buf[at++] = s.charCodeAt(c);
    return at;
  }
  const a = n < 0 ? -n : n;
  if (n < 0) buf[at++] = MINUS;
  // int32 arithmetic below 2³¹ (every pixel coordinate): the same digits as Math.floor on doubles
  const small = a < 2147483648;
  const i = small ? ((a | 0) / 1000) | 0 : Math.floor(a / 1000);
  const f = a - i * 1000;
  // integer part: digits counted first, then written from the last
  let digits = 1;
  for (let t = i; t >= 10; t = small ? (t / 10) | 0 : Math.floor(t / 10)) digits++;
  let t = i;
  for (let d = digits - 1; d >= 0; d--) {
    const q = small ? (t / 10) | 0 : Math.floor(t / 10);
    buf[at + d] = ZERO + (t - 10 * q);
    t = q;
  }
  at += digits;
  if (f === 0) return at;
  // at most 3 fraction digits, no trailing zero
  const f1 = (f / 100) | 0;
  const f2 = ((f / 10) | 0) % 10;
  const f3 = f % 10;
  buf[at++] = DOT;
  buf[at++] = ZERO + f1;
  if (f2 !== 0 || f3 !== 0) buf[at++] = ZERO + f2;
  if (f3 !== 0) buf[at++] = ZERO + f3;
  return at;
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
