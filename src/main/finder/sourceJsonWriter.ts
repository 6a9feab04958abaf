/**
 * Compact catalogue sources written as JSON bytes straight from an island and its components: the
 * text `JSON.stringify(toSource(...))` gives (flat contours written as pairs), with no source object,
 * no generic stringify and no shortest-digits conversion (the numbers carry 10 significant digits,
 * catalogueNumbers.ts). Both read the same `CompactSourceFields`. On the crowded 7200² map this
 * was most of the main thread's work during a run (~1 s of CPU with objects and JSON.stringify).
 */

import { writeContourJson, writeJsonNumber, writeSigNumber } from './catalogueNumbers';
import { COMPONENT_NUMBER_KEYS, CompactSourceFields, SOURCE_NUMBER_KEYS, SOURCE_TAIL_NUMBER_KEYS, islandFlags, type CatalogueInfo } from './toCatalogue';
import type { Component, Island } from './types';

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const keys = (names: readonly string[]): Uint8Array[] => names.map((k) => ascii(`,"${k}":`));

const SOURCE_KEYS = keys(SOURCE_NUMBER_KEYS);
const TAIL_KEYS = keys(SOURCE_TAIL_NUMBER_KEYS);
const COMPONENT_KEYS = keys(COMPONENT_NUMBER_KEYS);
const NS = SOURCE_NUMBER_KEYS.length;
const NC = COMPONENT_NUMBER_KEYS.length;
const OPEN_ID = ascii('{"id":"S');
const NAME = ascii('","name":"S');
const FINDER_TYPE = ascii('","finder":"cirasa","type":"');
const ISLAND_ID = ascii('","islandId":"S');
const QUOTE = ascii('"');
const CONTOUR = ascii(',"contour":');
const BBOX = [ascii(',"bbox":{"xmin":'), ascii(',"xmax":'), ascii(',"ymin":'), ascii(',"ymax":')];
const FLAGS = ascii('},"flags":');
const FIT_QUALITY = ascii(',"fitQuality":"');
const COMPONENTS = ascii(',"components":[');
const COMPONENT_ID = ascii('{"id":"S');
const COMPONENT_SUFFIX = ascii('_c');
const INDEX = ascii('","index":');
const SIZE_FIXED = ascii(',"extra":{"sizeFixed":true}');
const CLOSE_COMPONENTS = ascii(']}');
const COMMA = 0x2c;
const CLOSE = 0x7d;
const STRINGS = new Map<string, Uint8Array>();
const stringBytes = (s: string): Uint8Array => {
  let b = STRINGS.get(s);
  if (!b) STRINGS.set(s, (b = ascii(s)));
  return b;
};

// room for a number (≤ 24 bytes) and its key (≤ 24)
const PER_NUMBER = 48;
const SOURCE_ROOM = 512 + PER_NUMBER * (NS + 8);
const COMPONENT_ROOM = 128 + PER_NUMBER * NC;

export class SourceJsonWriter {
  buf: Uint8Array;
  used = 0;
  private readonly fields: CompactSourceFields;

  constructor(info: Pick<CatalogueInfo, 'wcs' | 'beam'>, initialBytes = 1 << 20) {
    this.buf = new Uint8Array(initialBytes);
    this.fields = new CompactSourceFields(info);
  }

  /**
   * Appends the source of `isl` with catalogue id `id` (a ',' before it when `comma`) and its
   * components in catalogue order. When `idAt` is given, the offsets of the id's digits (each
   * occurrence) are pushed to it, so the id can be replaced later by one of as many digits.
   */
  append(isl: Island, comps: Component[], id: number, comma: boolean, idAt?: number[]): void {
    const f = this.fields.set(isl, comps);
    this.reserve(SOURCE_ROOM + 26 * isl.contour.length + COMPONENT_ROOM * comps.length);
    const buf = this.buf;
    let at = this.used;
    if (comma) buf[at++] = COMMA;
    at = put(OPEN_ID, buf, at);
    at = this.id(id, at, idAt);
    at = put(NAME, buf, at);
    at = this.id(id, at, idAt);
    at = put(FINDER_TYPE, buf, at);
    at = put(stringBytes(f.type), buf, at);
    at = put(ISLAND_ID, buf, at);
    at = this.id(id, at, idAt);
    at = put(QUOTE, buf, at);
    const n = f.numbers;
    at = putNumbers(SOURCE_KEYS, n, 0, buf, at);
    at = put(CONTOUR, buf, at);
    at = writeContourJson(isl.contour, buf, at);
    const box = isl.bbox;
    at = writeJsonNumber(box.xMin, buf, put(BBOX[0], buf, at));
    at = writeJsonNumber(box.xMax, buf, put(BBOX[1], buf, at));
    at = writeJsonNumber(box.yMin, buf, put(BBOX[2], buf, at));
    at = writeJsonNumber(box.yMax, buf, put(BBOX[3], buf, at));
    at = writeJsonNumber(islandFlags(isl), buf, put(FLAGS, buf, at));
    if (f.fitQuality !== undefined) at = put(QUOTE, buf, put(stringBytes(f.fitQuality), buf, put(FIT_QUALITY, buf, at)));
    at = putNumbers(TAIL_KEYS, n, NS, buf, at);
    at = put(COMPONENTS, buf, at);
    for (let k = 0; k < f.nComponents; k++) {
      if (k > 0) buf[at++] = COMMA;
      at = put(COMPONENT_ID, buf, at);
      at = this.id(id, at, idAt);
      at = put(COMPONENT_SUFFIX, buf, at);
      at = writeJsonNumber(k + 1, buf, at);
      at = writeJsonNumber(k + 1, buf, put(INDEX, buf, at));
      at = putNumbers(COMPONENT_KEYS, f.compNumbers, k * NC, buf, at);
      at = put(QUOTE, buf, put(stringBytes(f.compQuality[k]), buf, put(FIT_QUALITY, buf, at)));
      if (f.compSizeFixed[k]) at = put(SIZE_FIXED, buf, at);
      buf[at++] = CLOSE;
    }
    this.used = put(CLOSE_COMPONENTS, buf, at);
  }

  private id(id: number, at: number, idAt: number[] | undefined): number {
    idAt?.push(at);
    return writeJsonNumber(id, this.buf, at);
  }

  private reserve(bytes: number): void {
    if (this.buf.length - this.used >= bytes) return;
    const grown = new Uint8Array(Math.max(2 * this.buf.length, this.used + bytes));
    grown.set(this.buf.subarray(0, this.used));
    this.buf = grown;
  }
}

function put(bytes: Uint8Array, buf: Uint8Array, at: number): number {
  for (let j = 0; j < bytes.length; j++) buf[at++] = bytes[j];
  return at;
}

/** The finite values[from + k] with their keys (absent fields are left out, as JSON.stringify leaves out undefined). */
function putNumbers(keyBytes: Uint8Array[], values: Float64Array, from: number, buf: Uint8Array, at: number): number {
  for (let k = 0; k < keyBytes.length; k++) {
    const v = values[from + k];
    if (v - v !== 0) continue; // NaN or ±Infinity
    at = writeSigNumber(v, buf, put(keyBytes[k], buf, at));
  }
  return at;
}
