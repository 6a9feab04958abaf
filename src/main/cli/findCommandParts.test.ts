/**
 * Distributed `cirasa find`: --part K/N part files merged with --merge give the same catalogue as one
 * run over the whole image (row by row), with the background computed per part or shared through
 * --background-out/--background; bad part sets are refused naming the file.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCirasaInProcess as cli } from '../../../test/helpers/cli';
import { readCatalogue } from '../catalogue';
import { readPartFile } from '../finder/parts';

const dir = mkdtempSync(join(tmpdir(), 'cirasa-findparts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const image = join(dir, 'sim.fits');
const other = join(dir, 'other.fits');
const TILE = 256;
const N = 4;
const common = ['--tile', String(TILE), '--threads', '0', '--quiet'];
const partPath = (k: number, tag = 'p'): string => join(dir, `${tag}${k}.json`);

async function ok(args: string[]): Promise<void> {
  const r = await cli(args);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
}

beforeAll(async () => {
  // 1500² at 4"/px, 15" beam: 36 tiles of 256², 9 per part; 900 sources (~300 above 5σ), 10 % extended
  await ok(['simulate', '--size', '1500', '--count', '900', '--seed', '11', '--out', image, '--quiet']);
  await ok(['simulate', '--size', '1500', '--count', '900', '--seed', '12', '--out', other, '--quiet']);
  await ok(['find', image, '--out', join(dir, 'one.json'), ...common]);
  await ok(['find', image, '--out', join(dir, 'one.csv'), '--format', 'csv', ...common]);
  for (let k = 0; k < N; k++) await ok(['find', image, '--part', `${k}/${N}`, '--out', partPath(k), ...common]);
}, 300_000);

/** Part of a pixel: tile index in raster order → part K with ⌊K·T/N⌋ ≤ index < ⌊(K+1)·T/N⌋. */
function partOf(x: number, y: number): number {
  const tilesX = Math.ceil(1500 / TILE);
  const total = tilesX * Math.ceil(1500 / TILE);
  const t = Math.floor(y / TILE) * tilesX + Math.floor(x / TILE);
  for (let k = 0; k < N; k++) if (t < Math.floor(((k + 1) * total) / N)) return k;
  return N - 1;
}

describe('cirasa find --part / --merge', () => {
  it('merged parts == one run over the whole image, row by row (JSON and CSV)', async () => {
    await ok(['find', '--merge', ...[0, 1, 2, 3].map((k) => partPath(k)), '--out', join(dir, 'merged.json'), '--quiet']);
    const one = await readCatalogue(join(dir, 'one.json'));
    const merged = await readCatalogue(join(dir, 'merged.json'));
    expect(one.sources.length).toBeGreaterThan(200);
    // islands whose pixels lie in two parts: the merge must not lose or duplicate them
    const straddling = one.sources.filter((s) => {
      const b = s.bbox!;
      return partOf(b.xmin, b.ymin) !== partOf(b.xmax, b.ymax) || partOf(b.xmax, b.ymin) !== partOf(b.xmin, b.ymax);
    });
    expect(straddling.length).toBeGreaterThanOrEqual(2); // deterministic for this seed
    expect(merged.sources.length).toBe(one.sources.length);
    merged.sources.forEach((s, k) => expect(s).toEqual(one.sources[k]));
    expect(merged.beam).toEqual(one.beam);
    // every part did its share
    const parts = await Promise.all([0, 1, 2, 3].map((k) => readPartFile(partPath(k))));
    expect(parts.every((p) => p.islands.length > 20)).toBe(true);
    expect(parts.reduce((n, p) => n + p.islands.length, 0)).toBe(one.sources.length);
    // the other formats come from the same exporters: identical CSV rows
    await ok(['find', '--merge', ...[3, 1, 0, 2].map((k) => partPath(k)), '--out', join(dir, 'merged.csv'), '--format', 'csv', '--regions', join(dir, 'merged.reg'), '--quiet']);
    // (but for the header lines naming the file and the time of writing)
    const csv = (f: string): string => readFileSync(join(dir, f), 'utf8').replace(/^# (name|id|created):.*$/gm, '');
    expect(csv('merged.csv')).toBe(csv('one.csv'));
    expect(csv('one.csv').split('\n').length).toBeGreaterThan(one.sources.length);
    expect(readFileSync(join(dir, 'merged.reg'), 'utf8').match(/ellipse|point|circle/g)!.length).toBeGreaterThanOrEqual(one.sources.length);
  });

  it('with a shared background file (and 2 worker threads in a part): the same catalogue', async () => {
    const bkg = join(dir, 'bkg.json');
    await ok(['find', image, '--background-out', bkg, ...common]);
    for (let k = 0; k < 3; k++) {
      const threads = k === 1 ? ['--threads', '2'] : [];
      await ok(['find', image, '--part', `${k}/3`, '--background', bkg, '--out', partPath(k, 'b'), ...common, ...threads]);
    }
    await ok(['find', '--merge', partPath(0, 'b'), partPath(1, 'b'), partPath(2, 'b'), '--out', join(dir, 'merged-b.json'), '--quiet']);
    const one = await readCatalogue(join(dir, 'one.json'));
    const merged = await readCatalogue(join(dir, 'merged-b.json'));
    expect(merged.sources).toEqual(one.sources);
    // a background file is refused for other options, naming it
    const r = await cli(['find', image, '--part', '0/3', '--background', bkg, '--seed', '6', '--out', join(dir, 'x.json'), ...common]);
    expect(r.code).toBe(65);
    expect(r.err).toContain(bkg);
    expect(r.err).toMatch(/another run \(finder options differ\)/);
  });

  it('refuses incomplete or mixed part sets, naming the file', async () => {
    const merge = (paths: string[]) => cli(['find', '--merge', ...paths, '--out', join(dir, 'bad.json'), '--quiet']);
    let r = await merge([partPath(0), partPath(1), partPath(3)]);
    expect(r.code).toBe(65);
    expect(r.err).toMatch(/missing part\(s\) 2\/4/);
    r = await merge([partPath(0), partPath(1), partPath(1), partPath(2), partPath(3)]);
    expect(r.err).toMatch(/part 1\/4 given twice/);
    // a part of another image (same header, other pixels: the background hash differs)
    await ok(['find', other, '--part', '3/4', '--out', partPath(3, 'o'), ...common]);
    r = await merge([partPath(0), partPath(1), partPath(2), partPath(3, 'o')]);
    expect(r.code).toBe(65);
    expect(r.err).toContain(`${partPath(3, 'o')}: not from the same run as ${partPath(0)}`);
    // other options
    await ok(['find', image, '--part', '3/4', '--seed', '6', '--out', partPath(3, 's'), ...common]);
    r = await merge([partPath(0), partPath(1), partPath(2), partPath(3, 's')]);
    expect(r.err).toContain(`${partPath(3, 's')}: not from the same run as ${partPath(0)} (different finder options`);
    // not a part file; an unreadable one
    r = await merge([join(dir, 'one.json')]);
    expect(r.err).toContain(`${join(dir, 'one.json')}: not a cirasa find part file`);
    r = await merge([join(dir, 'nope.json')]);
    expect(r.err).toContain(`${join(dir, 'nope.json')}: cannot read`);
    // K ≥ N and malformed K/N are usage errors
    for (const bad of ['4/4', '1/0', 'x/2']) {
      r = await cli(['find', image, '--part', bad, '--out', join(dir, 'x.json'), '--quiet']);
      expect(r.code).toBe(64);
      expect(r.err).toMatch(/--part/);
    }
  });
});

describe('cirasa find: the false-detection control is applied once, at the merge', () => {
  it('noise with a 4σ seed: parts keep every island, the merge drops the same ones as one run', async () => {
    // 800² of pure beam-correlated noise (one 12σ source) at a 4σ seed: a dozen noise islands
    const noise = join(dir, 'noise.fits');
    await ok(['simulate', '--size', '800', '--count', '1', '--smin', '0.00024', '--smax', '0.00024', '--extended-fraction', '0', '--seed', '5', '--out', noise, '--quiet']);
    const args = ['--seed', '4', '--tile', '200', '--threads', '0'];
    const off = await cli(['find', noise, '--out', join(dir, 'noise-off.json'), '--fdr', '0', '--options', '{"minFluxSnr":0}', ...args, '--quiet']);
    expect(off.code).toBe(0);
    const one = await cli(['find', noise, '--out', join(dir, 'noise-one.json'), ...args]);
    expect(one.code).toBe(0);
    expect(one.err).toMatch(/false-detection control \(rate 0\.01\): seed raised to \d+\.\d\dσ, \d+ of \d+ islands dropped \(expected noise peaks above 4σ: \d+\.\d\)/);
    for (let k = 0; k < 2; k++) await ok(['find', noise, '--part', `${k}/2`, '--out', partPath(k, 'n'), ...args, '--quiet']);
    const merge = await cli(['find', '--merge', partPath(0, 'n'), partPath(1, 'n'), '--out', join(dir, 'noise-merged.json')]);
    expect(merge.err).toMatch(/false-detection control/);
    const [all, kept, merged] = await Promise.all(['noise-off.json', 'noise-one.json', 'noise-merged.json'].map((f) => readCatalogue(join(dir, f))));
    expect(all.sources.length).toBeGreaterThan(3);
    expect(kept.sources).toHaveLength(1);
    expect(merged.sources).toEqual(kept.sources);
    const parts = await Promise.all([0, 1].map((k) => readPartFile(partPath(k, 'n'))));
    expect(parts.reduce((n, p) => n + p.islands.length, 0)).toBe(all.sources.length);
    expect(parts.reduce((n, p) => n + p.searchedPixels!, 0)).toBe(800 * 800);
  });
});
