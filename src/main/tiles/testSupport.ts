/** Helpers shared by the tiles tests (not used by app code). */

/** Deterministic pseudo-random image (row y = 0 first) with scattered NaNs and an all-NaN 8×8 top-left corner. */
export function makeImage(w: number, h: number, seed = 1): Float32Array {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const data = new Float32Array(w * h);
  for (let i = 0; i < data.length; i++) data[i] = rnd() < 0.1 ? NaN : rnd() * 100 - 20 + (i % w);
  for (let y = Math.max(0, h - 8); y < h; y++) for (let x = 0; x < Math.min(8, w); x++) data[y * w + x] = NaN;
  return data;
}

/**
 * The definition of a display tile, written independently of the pyramid code: pixel (i, j) of tile
 * (tx, ty) at level k is the mean of the finite pixels x = c·2^k + b, y = H-1-(r·2^k + a).
 */
export function directTile(data: Float32Array, w: number, h: number, k: number, tx: number, ty: number, ts = 256): { tw: number; th: number; out: Float64Array } {
  const f = 2 ** k;
  const tw = Math.min(ts, Math.ceil(w / f) - tx * ts);
  const th = Math.min(ts, Math.ceil(h / f) - ty * ts);
  const out = new Float64Array(tw * th);
  for (let j = 0; j < th; j++) {
    for (let i = 0; i < tw; i++) {
      const r = ty * ts + j;
      const c = tx * ts + i;
      let sum = 0;
      let n = 0;
      for (let a = 0; a < f; a++) {
        const y = h - 1 - (r * f + a);
        if (y < 0) continue;
        for (let b = 0; b < f; b++) {
          const x = c * f + b;
          if (x >= w) continue;
          const v = data[y * w + x]!;
          if (Number.isFinite(v)) {
            sum += v;
            n++;
          }
        }
      }
      out[j * tw + i] = n ? sum / n : NaN;
    }
  }
  return { tw, th, out };
}

/** Max relative difference, NaN positions required to match (Infinity when they don't). */
export function maxRelDiff(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const e = want[i]!;
    if (Number.isNaN(e) || Number.isNaN(g)) {
      if (!(Number.isNaN(e) && Number.isNaN(g))) return Infinity;
      continue;
    }
    worst = Math.max(worst, Math.abs(g - e) / Math.max(1, Math.abs(e)));
  }
  return worst;
}
