import { tileRect, type PyramidLayout } from './pyramidLayout';
import type { RowSource } from './rowSource';

export type Tile = {
  width: number;
  height: number;
  data: Float32Array;
  /** True for a sampled preview of a level the pyramid build has not reached yet (see computeTilePreview). */
  preview?: boolean;
};

/**
 * A level-0 tile straight from the image (no copy of the image anywhere): one region read, then the
 * rows flipped into display order (display row 0 = highest Pixel0 y).
 */
export async function readLevel0Tile(source: RowSource, layout: PyramidLayout, tx: number, ty: number): Promise<Tile> {
  const rect = tileRect(layout, 0, tx, ty)!;
  const { width: w, height: h } = rect;
  const yTop = source.height - 1 - rect.row0;
  const region = await source.readRegion(rect.x0, yTop - h + 1, w, h);
  return { width: w, height: h, data: flipRows(region, w, h) };
}

function flipRows(region: Float32Array, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  for (let j = 0; j < h; j++) out.set(region.subarray((h - 1 - j) * w, (h - j) * w), j * w);
  return out;
}

/**
 * A tile of any level computed from the image itself, block row by block row (used when the pyramid
 * build failed). Reads the tile's whole footprint, so it is slow on coarse levels of big images.
 */
export async function computeTileDirect(source: RowSource, layout: PyramidLayout, level: number, tx: number, ty: number): Promise<Tile> {
  if (level === 0) return readLevel0Tile(source, layout, tx, ty);
  const rect = tileRect(layout, level, tx, ty)!;
  const f = 2 ** level;
  const { width: W, height: H } = source;
  const xa = rect.x0 * f;
  const xb = Math.min(W, (rect.x0 + rect.width) * f);
  const out = new Float32Array(rect.width * rect.height);
  const sum = new Float64Array(rect.width);
  const cnt = new Float64Array(rect.width);
  for (let j = 0; j < rect.height; j++) {
    // Display row r covers Pixel0 rows H-1-r·f-i, i in [0, f), clipped at y = 0.
    const r = rect.row0 + j;
    const yHi = H - 1 - r * f;
    const yLo = Math.max(0, yHi - f + 1);
    const block = await source.readRegion(xa, yLo, xb - xa, yHi - yLo + 1);
    sum.fill(0);
    cnt.fill(0);
    const bw = xb - xa;
    for (let y = 0; y <= yHi - yLo; y++) {
      for (let x = 0; x < bw; x++) {
        const v = block[y * bw + x]!;
        if (v - v === 0) {
          const c = Math.floor(x / f);
          sum[c] += v;
          cnt[c]++;
        }
      }
    }
    for (let i = 0; i < rect.width; i++) out[j * rect.width + i] = cnt[i]! > 0 ? sum[i]! / cnt[i]! : NaN;
  }
  return { width: rect.width, height: rect.height, data: out };
}

/**
 * A fast approximation of a whole band (tile row `ty`) of level k ≥ 1 for the first view while the
 * pyramid is being built: display row r is the NaN-aware block mean along x of ONE source row, the middle
 * row of its 2^k block (DS9 samples the same way when zoomed out). One positioned read per display row
 * serves every tile of the band, so the coarse levels of a 1 GB image are ready in tens of milliseconds.
 * Tiles are marked `preview`; the exact ones replace them once the build has written the band.
 */
export async function computePreviewBand(source: RowSource, layout: PyramidLayout, level: number, ty: number): Promise<Tile[]> {
  const g = layout.levels[level]!;
  const s = layout.tileSize;
  const f = 2 ** level;
  const { width: W, height: H } = source;
  const row0 = ty * s;
  const rows = Math.min(s, g.height - row0);
  const levelRow = new Float32Array(g.width);
  const src = new Float32Array(W);
  const tiles: Tile[] = [];
  for (let tx = 0; tx < g.tilesX; tx++) {
    const width = Math.min(s, g.width - tx * s);
    tiles.push({ width, height: rows, data: new Float32Array(width * rows), preview: true });
  }
  for (let j = 0; j < rows; j++) {
    const yHi = H - 1 - (row0 + j) * f;
    await source.readRegion(0, Math.max(0, yHi - Math.floor(f / 2)), W, 1, src);
    for (let c = 0; c < g.width; c++) {
      let sum = 0;
      let n = 0;
      const end = Math.min(W, (c + 1) * f);
      for (let x = c * f; x < end; x++) {
        const v = src[x]!;
        if (v - v === 0) {
          sum += v;
          n++;
        }
      }
      levelRow[c] = n > 0 ? sum / n : NaN;
    }
    for (let tx = 0; tx < tiles.length; tx++) {
      const t = tiles[tx]!;
      t.data.set(levelRow.subarray(tx * s, tx * s + t.width), j * t.width);
    }
  }
  return tiles;
}

/** Recently served tiles, bounded by bytes (Map iteration order = least recently used first). */
export class TileLru {
  private readonly map = new Map<string, Tile>();
  private bytes = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  get(key: string): Tile | undefined {
    const t = this.map.get(key);
    if (t) {
      this.map.delete(key);
      this.map.set(key, t);
    }
    return t;
  }

  set(key: string, tile: Tile): void {
    const old = this.map.get(key);
    if (old) {
      this.bytes -= old.data.byteLength;
      this.map.delete(key);
    }
    this.map.set(key, tile);
    this.bytes += tile.data.byteLength;
    for (const [k, t] of this.map) {
      if (this.bytes <= this.maxBytes) break;
      this.map.delete(k);
      this.bytes -= t.data.byteLength;
    }
  }

  /** Forget every tile whose key starts with `prefix` (an image being closed). */
  deletePrefix(prefix: string): void {
    for (const [k, t] of this.map) {
      if (k.startsWith(prefix)) {
        this.map.delete(k);
        this.bytes -= t.data.byteLength;
      }
    }
  }
}
