/**
 * The part of an open FITS image the tiles code needs. `FitsImage` (src/main/fits) satisfies it; tests
 * use an in-memory implementation. Coordinates are Pixel0; rows come out y0 first (bottom-up as FITS).
 */
export interface RowSource {
  readonly width: number;
  readonly height: number;
  /** Physical values of rows [y0, y0+count), row y0 first, NaN for blanks. */
  readRows(y0: number, count: number, out?: Float32Array): Promise<Float32Array>;
  /** Rectangle x in [x0, x0+w), y in [y0, y0+h), row y0 first. */
  readRegion(x0: number, y0: number, w: number, h: number, out?: Float32Array): Promise<Float32Array>;
}

/** An in-memory source (row y = 0 first), for tests and tiny images. */
export function memoryRowSource(width: number, height: number, data: Float32Array): RowSource {
  return {
    width,
    height,
    readRows: async (y0, count, out) => {
      const res = out ?? new Float32Array(width * count);
      res.set(data.subarray(y0 * width, (y0 + count) * width));
      return res;
    },
    readRegion: async (x0, y0, w, h, out) => {
      const res = out ?? new Float32Array(w * h);
      for (let j = 0; j < h; j++) {
        for (let i = 0; i < w; i++) {
          const x = x0 + i;
          const y = y0 + j;
          res[j * w + i] = x >= 0 && x < width && y >= 0 && y < height ? data[y * width + x]! : NaN;
        }
      }
      return res;
    },
  };
}
