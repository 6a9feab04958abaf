/**
 * Speed/accuracy benchmark of the finder core (not a test): a W×W float32 map with N Gaussian point
 * sources (σ = 1.6 px, i.e. a 15" beam on 4" pixels) on white noise (σ = 1), optionally written as
 * FITS for a SExtractor comparison. Prints stage times, completeness and the flux ratio vs truth.
 *
 *   npx tsx src/main/finder/bench/finderSpeed.ts [--size 4000] [--sources 2000] [--fits out.fits]
 */
import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { wholeImageFrame } from '../background';
import { estimateBackground } from '../backgroundMask';
import { detectIslands } from '../measure';
import { fitIsland } from '../fitIsland';
import { addGaussian, addNoise, makePlane, makeRng } from '../synthetic';
import { beamFwhmPx, finderOptions, type Component } from '../types';
import { median } from '../robustStats';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '4000' },
    sources: { type: 'string', default: '2000' },
    fits: { type: 'string' },
    seed: { type: 'string', default: '42' },
  },
});
const size = Number(values.size);
const nsrc = Number(values.sources);
const beam = { majorSigmaPx: 1.6, minorSigmaPx: 1.6, paDeg: 0 };

let t = performance.now();
const lap = (label: string): void => {
  const now = performance.now();
  console.log(`${label.padEnd(44)} ${((now - t) / 1000).toFixed(2)} s   rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
  t = now;
};
const plane = makePlane(size, size);
addNoise(plane, 1, Number(values.seed));
const rng = makeRng(Number(values.seed) + 1);
const truth: { x: number; y: number; amp: number }[] = [];
for (let k = 0; k < nsrc; k++) {
  // S/N log-uniform in 5–500, away from the border
  const s = { amp: 5 * 100 ** rng(), x: 20 + rng() * (size - 40), y: 20 + rng() * (size - 40), majorSigma: 1.6, minorSigma: 1.6, paDeg: 0 };
  addGaussian(plane, s);
  truth.push(s);
}
lap('generate');
if (values.fits) {
  const { writeFitsImage } = await import('../../fits');
  await writeFitsImage(values.fits, { width: size, height: size, data: plane.data });
  writeFileSync(`${values.fits}.truth.txt`, truth.map((s) => `${s.x + 1} ${s.y + 1} ${s.amp}`).join('\n') + '\n');
  lap('write fits');
}
const total = performance.now();
const opts = finderOptions();
const maps = estimateBackground(plane, beam, opts);
lap(`background (${maps.passes} passes, ${(100 * maps.maskedFraction).toFixed(1)} % masked)`);
const found = detectIslands(plane, maps, beam, opts);
lap('islands');
const comps: Component[] = [];
const ctx = { plane, maps, found, beam, opts, noiseFwhmPx: beamFwhmPx(beam), frame: wholeImageFrame(plane) };
for (const isl of found.islands) comps.push(...fitIsland(ctx, isl));
lap('fit');
console.log(`finder total ${((performance.now() - total) / 1000).toFixed(2)} s: ${found.islands.length} islands, ${comps.length} components`);

// cross-match components to truth within 1 pixel... 0.5 beam FWHM
const radius = 0.5 * beamFwhmPx(beam);
const cell = new Map<string, Component[]>();
for (const c of comps) {
  const key = `${Math.floor(c.x / 4)},${Math.floor(c.y / 4)}`;
  (cell.get(key) ?? cell.set(key, []).get(key)!).push(c);
}
let matched = 0;
const ratios: number[] = [];
const used = new Set<Component>();
for (const s of truth) {
  let best: Component | undefined;
  let bd = radius;
  for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) {
    for (const c of cell.get(`${Math.floor(s.x / 4) + dx},${Math.floor(s.y / 4) + dy}`) ?? []) {
      const d = Math.hypot(c.x - s.x, c.y - s.y);
      if (d < bd && !used.has(c)) { bd = d; best = c; }
    }
  }
  if (best) { matched++; used.add(best); ratios.push(best.flux / s.amp); }
}
const r = Float64Array.from(ratios);
const med = median(Float64Array.from(r), r.length);
const mad = median(Float64Array.from(r, (v) => Math.abs(v - med)), r.length);
const quality: Record<string, number> = {};
for (const c of comps) quality[c.fitQuality] = (quality[c.fitQuality] ?? 0) + 1;
console.log(`completeness ${(matched / truth.length).toFixed(4)} (${matched}/${truth.length}), reliability ${(used.size / comps.length).toFixed(4)}, flux ratio median ${med.toFixed(4)} MAD ${mad.toFixed(4)}, fit quality ${JSON.stringify(quality)}`);
