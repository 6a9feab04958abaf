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
    for (let j = 0; j < count; j++) this.pushRow(rows.subarray(j * W, (j + 1) * W));
  }

  private pushRow(row: Float32Array): void {
    const H = this.layout.height;
    if (this.nextY >= H) throw new Error('PyramidAccumulator: more rows than the image height');
    const displayRow = H - 1 - this.nextY;
    this.nextY++;
    const acc = this.levels[1];
    if (!acc) return;
    const { sum, count } = acc;
    const n = row.length;
    for (let x = 0; x < n; x++) {
      const v = row[x]!;
      if (v - v === 0) {
        sum[x >> 1] += v;
        count[x >> 1]++;
      }
    }
    if ((displayRow & 1) === 0) this.completeRow(1, displayRow >> 1);
  }

  private completeRow(level: number, r: number): void {
    const acc = this.levels[level]!;
    const s = this.layout.tileSize;
    const ty = Math.floor(r / s);
    const base = (r - ty * s) * acc.width;
    const { sum, count, band } = acc;
    for (let i = 0; i < acc.width; i++) band[base + i] = count[i]! > 0 ? sum[i]! / count[i]! : NaN;
    const next = this.levels[level + 1];
    if (next) {
      const ns = next.sum;
      const nc = next.count;
      for (let i = 0; i < acc.width; i++) {
        ns[i >> 1] += sum[i]!;
        nc[i >> 1] += count[i]!;
      }
    }
    sum.fill(0);
    count.fill(0);
    if (r % s === 0) this.flushBand(level, ty);
    if (next && (r & 1) === 0) this.completeRow(level + 1, r >> 1);
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
