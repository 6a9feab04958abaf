/**
 * The catalogue's numbers carry 10 significant digits (a position to 10⁻⁶ px or 0.4 mas, a flux to
 * 10⁻¹⁰ of itself: far beyond what any fit supports; SExtractor writes 7). `roundSig` is the value the
 * catalogue model holds; `writeSigNumber` writes exactly `JSON.stringify(roundSig(v))` as bytes
 * without V8's shortest-digits conversion, which was most of the cost of the catalogue JSON
 * (~2·10⁶ numbers on the crowded 7200² map).
 *
 * Why the text is the same: roundSig(v) is the double nearest to the decimal D = m·10⁻ᵏ (m an
 * integer of 10 digits; m / 10ᵏ and m · 10ᵏ with k ≤ 22 are single correctly rounded IEEE
 * operations on exact operands). Two different decimals of ≤ 10 significant digits are at least
 * 10⁻¹⁰ apart relatively, far more than a double's spacing, so the shortest decimal that reads back
 * as roundSig(v) — what JSON.stringify prints — is D itself, trailing zeros dropped.
 */

export const SIGNIFICANT_DIGITS = 10;

const POW10 = Float64Array.from({ length: 23 }, (_, k) => 10 ** k);
const M_MIN = 1e9; // 10^(SIGNIFICANT_DIGITS − 1)
const M_MAX = 1e10;

// the mantissa of the last decomposition (a typed array: module-level `let`s are slow to reach)
const mantissa = new Float64Array(1);
const NO_SCALE = 99;
const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
// the word with the sign, the exponent and the high mantissa bits (1 on little-endian machines)
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LOG10_2 = Math.log10(2);
const DECADES = 40;
// DECADE[e + DECADES] ≈ 10^e: where the decimal exponent steps (a close value is enough: the checks below are exact)
const DECADE = Float64Array.from({ length: 2 * DECADES + 1 }, (_, j) => Number(`1e${j - DECADES}`));

/**
 * |v| (finite, > 0) as m · 10^(−k) with m of 10 digits: returns k and leaves m in mantissa[0];
 * NO_SCALE when 10^k is not exact (|k| > 22).
 */
function decompose(a: number): number {
  // the decimal exponent from the binary one (Math.log10 costs more than the rest): floor(log10 a)
  // is this estimate or one more, which the range checks below correct
  bits[0] = a;
  const e2 = ((words[HIGH] >>> 20) & 0x7ff) - 1023;
  let e10 = Math.floor(e2 * LOG10_2);
  if (e10 >= -DECADES && e10 < DECADES && a >= DECADE[e10 + 1 + DECADES]) e10++;
  let k = SIGNIFICANT_DIGITS - 1 - e10;
  if (k > 22 || k < -22) return NO_SCALE;
  let m = Math.round(k >= 0 ? a * POW10[k] : a / POW10[-k]);
  // log10 may be off by one next to a power of ten
  if (m >= M_MAX) {
    if (--k < -22) return NO_SCALE;
    m = Math.round(k >= 0 ? a * POW10[k] : a / POW10[-k]);
  } else if (m < M_MIN) {
    if (++k > 22) return NO_SCALE;
    m = Math.round(k >= 0 ? a * POW10[k] : a / POW10[-k]);
  }
  if (m >= M_MAX) {
    m = M_MIN;
    if (--k < -22) return NO_SCALE;
  }
  mantissa[0] = m;
  return k;
}

/** `v` to 10 significant digits (NaN, ±Infinity and 0 unchanged). */
export function roundSig(v: number): number {
  if (v === 0 || !Number.isFinite(v)) return v;
  const k = decompose(Math.abs(v));
  if (k === NO_SCALE) return Number(v.toPrecision(SIGNIFICANT_DIGITS));
  const m = mantissa[0];
  const r = k >= 0 ? m / POW10[k] : m * POW10[-k];
  return v < 0 ? -r : r;
}

const ZERO = 0x30;
const MINUS = 0x2d;
const DOT = 0x2e;
const E = 0x65;
const PLUS = 0x2b;
const digitScratch = new Int32Array(SIGNIFICANT_DIGITS);

/**
 * Writes JSON.stringify(roundSig(v)) at buf[at] (room: 24 bytes) and returns the end. `v` must be
 * finite (JSON has no NaN: callers omit such fields).
 */
export function writeSigNumber(v: number, buf: Uint8Array, at: number): number {
  if (v === 0) {
    buf[at++] = ZERO;
    return at;
  }
  const scale = decompose(Math.abs(v));
  if (scale === NO_SCALE) return writeText(JSON.stringify(roundSig(v)), buf, at);
  const mant = mantissa[0];
  if (v < 0) buf[at++] = MINUS;
  // the 10 digits of mant (most significant first) in two int32 halves; value = 0.d0…d9 · 10^point
  const d = digitScratch;
  let hi = Math.floor(mant / 100000);
  let lo = mant - hi * 100000;
  for (let j = 9; j >= 5; j--) {
    const q = (lo / 10) | 0;
    d[j] = lo - 10 * q;
    lo = q;
  }
  for (let j = 4; j >= 0; j--) {
    const q = (hi / 10) | 0;
    d[j] = hi - 10 * q;
    hi = q;
  }
  let n = SIGNIFICANT_DIGITS;
  while (n > 1 && d[n - 1] === 0) n--;
  const point = SIGNIFICANT_DIGITS - scale;
  if (point >= n && point <= 21) {
    for (let j = 0; j < n; j++) buf[at++] = ZERO + d[j];
    for (let j = n; j < point; j++) buf[at++] = ZERO;
  } else if (point > 0 && point <= 21) {
    for (let j = 0; j < point; j++) buf[at++] = ZERO + d[j];
    buf[at++] = DOT;
    for (let j = point; j < n; j++) buf[at++] = ZERO + d[j];
  } else if (point > -6 && point <= 0) {
    buf[at++] = ZERO;
    buf[at++] = DOT;
    for (let j = point; j < 0; j++) buf[at++] = ZERO;
    for (let j = 0; j < n; j++) buf[at++] = ZERO + d[j];
  } else {
    // exponential, as Number.prototype.toString: d[.ddd]e±x
    buf[at++] = ZERO + d[0];
    if (n > 1) {
      buf[at++] = DOT;
      for (let j = 1; j < n; j++) buf[at++] = ZERO + d[j];
    }
    buf[at++] = E;
    const x = point - 1;
    buf[at++] = x < 0 ? MINUS : PLUS;
    at = writeText(String(Math.abs(x)), buf, at);
  }
  return at;
}

/** Contours and integers (ids, counts, bounding boxes) are written exactly, as JSON.stringify does. */
const COMMA = 0x2c;
const OPEN = 0x5b;
const CLOSE = 0x5d;

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

function writeText(s: string, buf: Uint8Array, at: number): number {
  for (let c = 0; c < s.length; c++) buf[at++] = s.charCodeAt(c);
  return at;
}
