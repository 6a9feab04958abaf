import { describe, expect, it } from 'vitest';
import { PyramidAccumulator } from './pyramidAccumulator';
import { pyramidLayout, tileOffset, tileRect, type PyramidLayout } from './pyramidLayout';
import { runPyramidPass } from './pyramidPass';
import { memoryRowSource } from './rowSource';
import { directTile, makeImage, maxRelDiff } from './testSupport';

async function build(w: number, h: number, ts: number): Promise<{ layout: PyramidLayout; file: Float32Array; data: Float32Array; bands: string[] }> {
  const data = makeImage(w, h);
  const layout = pyramidLayout(w, h, ts);
  const file = new Float32Array(layout.dataBytes / 4);
  const bands: string[] = [];
  await runPyramidPass(memoryRowSource(w, h, data), layout, {
    write: (offset, tiles) => file.set(tiles, offset / 4),
    onBand: (level, ty) => bands.push(`${level}/${ty}`),
  });
  return { layout, file, data, bands };
}

describe('runPyramidPass', () => {
  for (const [w, h, ts] of [
    [101, 77, 16],
    [77, 101, 8],
    [600, 300, 256],
    [513, 1025, 256],
    [33, 1, 4],
  ] as const) {
    it(`matches a direct NaN-aware block mean on every tile (${w}×${h}, tile ${ts})`, async () => {
      const { layout, file, data, bands } = await build(w, h, ts);
      let tiles = 0;
      for (const g of layout.levels.slice(1)) {
        for (let ty = 0; ty < g.tilesY; ty++) {
          for (let tx = 0; tx < g.tilesX; tx++) {
            const rect = tileRect(layout, g.level, tx, ty)!;
            const { tw, th, out } = directTile(data, w, h, g.level, tx, ty, ts);
            expect([rect.width, rect.height]).toEqual([tw, th]);
            const off = tileOffset(layout, g.level, tx, ty) / 4;
            const got = file.subarray(off, off + tw * th);
            expect(maxRelDiff(got, out)).toBeLessThan(1e-6);
            tiles++;
          }
        }
        expect(new Set(bands.filter((b) => b.startsWith(`${g.level}/`))).size).toBe(g.tilesY);
      }
      expect(tiles).toBe(layout.levels.slice(1).reduce((a, g) => a + g.tilesX * g.tilesY, 0));
    });
  }

  it('gives the same bands whatever the chunking of the rows (pairs split across chunks)', () => {
    for (const [w, h] of [[37, 29], [36, 30]] as const) {
      const data = makeImage(w, h, 5);
      const layout = pyramidLayout(w, h, 4);
      const run = (sizes: number[]) => {
        const out = new Map<string, number[]>();
        const acc = new PyramidAccumulator(layout, (level, ty, tiles) => out.set(`${level}/${ty}`, Array.from(tiles)));
        let y = 0;
        for (let i = 0; y < h; i++) {
          const n = Math.min(sizes[i % sizes.length]!, h - y);
          acc.pushRows(data.subarray(y * w, (y + n) * w), n);
          y += n;
        }
        return out;
      };
      const whole = run([h]);
      expect(whole.size).toBe(layout.levels.slice(1).reduce((a, g) => a + g.tilesY, 0));
      for (const sizes of [[1], [3], [2, 1], [7, 4, 1]]) expect(run(sizes)).toEqual(whole);
    }
  });

  it('levels end with one tile holding the whole picture', () => {
    const l = pyramidLayout(16384, 16384);
    expect(l.levels.length).toBe(7);
    expect(l.levels[6]).toMatchObject({ width: 256, height: 256, tilesX: 1, tilesY: 1 });
    expect(pyramidLayout(192, 192).levels.length).toBe(1);
    expect(pyramidLayout(257, 10).levels.map((g) => [g.width, g.height])).toEqual([[257, 10], [129, 5]]);
  });

  it('stops between chunks when aborted', async () => {
    const w = 4096;
    const h = 4096;
    const layout = pyramidLayout(w, h);
    const ac = new AbortController();
    const src = memoryRowSource(w, h, new Float32Array(w * h));
    const run = runPyramidPass(src, layout, { write: () => undefined, onProgress: (f) => f > 0.2 && ac.abort() }, ac.signal);
    await expect(run).rejects.toThrow();
  });
});
