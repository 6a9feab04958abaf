/**
 * Colour pipeline speed: recolouring the visible tiles (40 × 256² float32) after a settings change =
 * one buildLut + 40 colourTile calls. Shared by bench/colour.ts (Node) and bench/colourBrowser.mjs
 * (headless Chromium). Numbers only, no assertions.
 */
import { buildLut, colourTile, STRETCHES, type DisplaySettings } from '../src/renderer/features/viewer/colour';
import { gaussian, seededRandom, statsFromSample } from '../src/renderer/features/viewer/colour/statsFromSample';

const TILE = 256;
const TILES = 40;
const REPS = 15;

function radioTile(rand: () => number): Float32Array {
  const t = new Float32Array(TILE * TILE);
  for (let i = 0; i < t.length; i++) t[i] = 1e-3 * gaussian(rand);
  for (let s = 0; s < 20; s++) {
    const cx = rand() * TILE;
    const cy = rand() * TILE;
    const peak = -0.05 * Math.log(1 - rand());
    for (let y = Math.max(0, Math.floor(cy - 8)); y < Math.min(TILE, cy + 8); y++)
      for (let x = Math.max(0, Math.floor(cx - 8)); x < Math.min(TILE, cx + 8); x++)
        t[y * TILE + x]! += peak * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 8);
  }
  for (let i = 0; i < 300; i++) t[Math.floor(rand() * t.length)] = Number.NaN; // blanked pixels
  return t;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** `sizes`: LUT entries to compare; undefined = buildLut's own choice (what the viewer gets). */
export function runColourBench(log: (line: string) => void, sizes: (number | undefined)[] = [undefined, 4096, 65536]): void {
  const rand = seededRandom(1);
  const tiles = Array.from({ length: TILES }, () => radioTile(rand));
  const stats = statsFromSample(tiles[0]!);
  const outs = tiles.map(() => new Uint8ClampedArray(TILE * TILE * 4));

  log(`colour bench: ${TILES} tiles of ${TILE}x${TILE}, median of ${REPS} runs`);
  for (const size of sizes) {
    for (const stretch of STRETCHES) {
      const settings: DisplaySettings = {
        stretch,
        clip: { kind: 'percentile', percent: 99.5 },
        colormap: 'viridis',
        invert: false,
        nanColour: [0, 0, 0, 0],
      };
      let lutSize = 0;
    const lutMs: number[] = [];
      const tileMs: number[] = [];
      for (let r = 0; r < REPS; r++) {
        const t0 = performance.now();
        const lut = buildLut(settings, stats, size);
      lutSize = lut.rgba.length;
        const t1 = performance.now();
        for (let i = 0; i < TILES; i++) colourTile(tiles[i]!, lut, outs[i]!);
        const t2 = performance.now();
        lutMs.push(t1 - t0);
        tileMs.push(t2 - t1);
      }
      const l = median(lutMs);
      const c = median(tileMs);
      log(
        `LUT ${String(size ?? `auto ${lutSize}`).padStart(12)}  ${stretch.padEnd(8)} buildLut ${l.toFixed(2).padStart(6)} ms` +
          `  colourTile×${TILES} ${c.toFixed(2).padStart(6)} ms  total ${(l + c).toFixed(2).padStart(6)} ms`,
      );
    }
  }
}
