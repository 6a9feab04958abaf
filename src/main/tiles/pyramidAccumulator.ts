import type { PyramidLayout } from './pyramidLayout';

/** Called when a band (one row of tiles) of level ≥ 1 is complete: tiles left to right, each row-major. */
export type BandSink = (level: number, ty: number, tiles: Float32Array) => void;

interface LevelAcc {
  width: number;
  height: number;
  /** Sum and count of the finite full-resolution pixels of each block of the display row in progress. */
  sum: Float64Array;
  count: Float64Array;
  /** Display rows of the band in progress, row-major, full level width. */
  band: Float32Array;
}

/**
 * Adds one full-resolution row into the level-1 block sums/counts: two pixels per block column (the
 * hot loop of the whole pass, kept a small monomorphic function); v - v === 0 means finite.
 */
function accumulatePairs(rows: Float32Array, offset: number, width: number, sum: Float64Array, count: Float64Array): void {
  const end = offset + width;
  let x = offset;
  let c = 0;
  for (; x + 1 < end; x += 2, c++) {
    const a = rows[x]!;
    const b = rows[x + 1]!;
    let s = 0;
    let k = 0;
    if (a - a === 0) {
      s = a;
      k = 1;
    }
    if (b - b === 0) {
      s += b;
      k++;
    }
    sum[c] += s;
    count[c] += k;
  }
  if (x < end) {
    const a = rows[x]!;
    if (a - a === 0) {
      sum[c] += a;
      count[c]++;
    }
  }
}

/**
 * Builds every level ≥ 1 of a NaN-aware block-mean pyramid in one streaming pass. Feed Pixel0 rows
 * in increasing y (the file's order): that is display rows bottom-up, so a display row of level k is
 * complete when the top row of its block arrives, and it is folded into level k+1 at once. Levels
 * carry sums and counts of finite pixels (not means), so a block mean over NaNs is exact at every level.
 */
export class PyramidAccumulator {
  private readonly levels: LevelAcc[] = [];
  private nextY = 0;

  constructor(
    private readonly layout: PyramidLayout,
    private readonly sink: BandSink,
  ) {
    for (const g of layout.levels) {
      if (g.level === 0) continue;
      this.levels[g.level] = {
        width: g.width,
        height: g.height,
        sum: new Float64Array(g.width),
        count: new Float64Array(g.width),
        band: new Float32Array(g.width * Math.min(layout.tileSize, g.height)),
      };
    }
  }

  /** Rows processed so far (the next expected Pixel0 y). */
  get rowsDone(): number {
    return this.nextY;
  }

  /** Push `count` consecutive Pixel0 rows starting at the next expected y (row-major, row y first). */
  pushRows(rows: Float32Array, count: number): void {
    const W = this.layout.width;
    const H = this.layout.height;
    let j = 0;
    while (j < count) {
      const displayRow = H - 1 - this.nextY;
      // Fast path: an odd display row starts a level-1 block row whose other row is the next one.
      if ((displayRow & 1) === 1 && j + 1 < count && this.levels[1]) {
        this.pushPair(rows, j * W, (j + 1) * W, displayRow >> 1);
        this.nextY += 2;
        j += 2;
      } else {
        this.pushRow(rows, j * W);
        j++;
      }
    }
  }

  /** Both rows of a level-1 block row at once: block means go straight to the band, sums to level 2. */
  private pushPair(rows: Float32Array, off0: number, off1: number, r: number): void {
    const acc = this.levels[1]!;
    const next = this.levels[2];
    const W = this.layout.width;
    const s = this.layout.tileSize;
    const base = (r % s) * acc.width;
    const band = acc.band;
    const pairs = W >> 1;
    const ns = next ? next.sum : null;
    const nc = next ? next.count : null;
    for (let c = 0; c < pairs; c++) {
      const x = c << 1;
      const a = rows[off0 + x]!;
      const b = rows[off0 + x + 1]!;
      const d = rows[off1 + x]!;
      const e = rows[off1 + x + 1]!;
      let sum = 0;
      let k = 0;
      if (a - a === 0) {
        sum = a;
        k = 1;
      }
      if (b - b === 0) {
        sum += b;
        k++;
      }
      if (d - d === 0) {
        sum += d;
        k++;
      }
      if (e - e === 0) {
        sum += e;
        k++;
      }
      band[base + c] = k > 0 ? sum / k : NaN;
      if (ns && nc) {
        ns[c >> 1] += sum;
        nc[c >> 1] += k;
      }
    }
    if (W & 1) {
      const a = rows[off0 + W - 1]!;
      const d = rows[off1 + W - 1]!;
      let sum = 0;
      let k = 0;
      if (a - a === 0) {
        sum = a;
        k = 1;
      }
      if (d - d === 0) {
        sum += d;
        k++;
      }
      band[base + pairs] = k > 0 ? sum / k : NaN;
      if (ns && nc) {
        ns[pairs >> 1] += sum;
        nc[pairs >> 1] += k;
      }
    }
    this.finishRow(1, r);
  }

  private pushRow(rows: Float32Array, offset: number): void {
    const H = this.layout.height;
    if (this.nextY >= H) throw new Error('PyramidAccumulator: more rows than the image height');
    const displayRow = H - 1 - this.nextY;
    this.nextY++;
    const acc = this.levels[1];
    if (!acc) return;
    const { sum, count } = acc;
    accumulatePairs(rows, offset, this.layout.width, sum, count);
    if ((displayRow & 1) === 0) this.completeRow(1, displayRow >> 1);
  }

  private completeRow(level: number, r: number): void {
    const acc = this.levels[level]!;
    const s = this.layout.tileSize;
    const ty = Math.floor(r / s);
    const base = (r - ty * s) * acc.width;
    const { sum, count, band } = acc;
    const next = this.levels[level + 1];
    const ns = next ? next.sum : null;
    const nc = next ? next.count : null;
    for (let i = 0; i < acc.width; i++) {
      const si = sum[i]!;
      const ci = count[i]!;
      band[base + i] = ci > 0 ? si / ci : NaN;
      if (ns && nc) {
        ns[i >> 1] += si;
        nc[i >> 1] += ci;
      }
      sum[i] = 0;
      count[i] = 0;
    }
    this.finishRow(level, r);
  }

  /** Row r of `level` is in its band and folded into the next level: flush the band, cascade up. */
  private finishRow(level: number, r: number): void {
    const s = this.layout.tileSize;
    if (r % s === 0) this.flushBand(level, r / s);
    if (this.levels[level + 1] && (r & 1) === 0) this.completeRow(level + 1, r >> 1);
  }

  private flushBand(level: number, ty: number): void {
    const acc = this.levels[level]!;
    const s = this.layout.tileSize;
    const bandHeight = Math.min(s, acc.height - ty * s);
    const out = new Float32Array(acc.width * bandHeight);
    let o = 0;
    for (let x0 = 0; x0 < acc.width; x0 += s) {
      const tw = Math.min(s, acc.width - x0);
      for (let j = 0; j < bandHeight; j++) {
        out.set(acc.band.subarray(j * acc.width + x0, j * acc.width + x0 + tw), o);
        o += tw;
      }
    }
    this.sink(level, ty, out);
  }
}
