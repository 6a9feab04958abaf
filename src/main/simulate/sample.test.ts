import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openFitsImage } from '../fits';
import { ensureSampleImage, isSampleUpToDate, SAMPLE_TRUTH, sampleKey } from './sample';

const dir = mkdtempSync(join(tmpdir(), 'cirasa-sample-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ensureSampleImage', () => {
  it('creates a 2048² SIN field with ~1000 sources, then reuses it while up to date', async () => {
    const t0 = Date.now();
    const path = await ensureSampleImage(dir);
    const seconds = (Date.now() - t0) / 1000;
    expect(seconds).toBeLessThan(30);
    const image = await openFitsImage(path);
    try {
      expect([image.width, image.height]).toEqual([2048, 2048]);
      expect(image.bunit).toBe('JY/BEAM');
      expect(image.beam?.bmajDeg).toBeCloseTo(15 / 3600, 12);
    } finally {
      await image.close();
    }
    const truth = readFileSync(join(dir, SAMPLE_TRUTH), 'utf8').trim().split('\n');
    expect(truth[0]).toBe('id,ra,dec,x,y,peak,flux,bmaj,bmin,pa,type');
    expect(truth.length - 1).toBeGreaterThan(800);
    expect(truth.length - 1).toBeLessThan(1300);
    const extended = truth.filter((l) => l.endsWith(',extended')).length;
    expect(extended).toBeGreaterThan(50);
    const peaks = truth.slice(1).map((l) => Number(l.split(',')[5]));
    expect(peaks.filter((p) => p > 0.01).length).toBeGreaterThanOrEqual(3); // a few bright ones (> 10 mJy/beam)

    const mtime = statSync(path).mtimeMs;
    expect(await isSampleUpToDate(path)).toBe(true);
    await ensureSampleImage(dir);
    expect(statSync(path).mtimeMs).toBe(mtime);
  });

  it('regenerates a truncated or foreign file, identically (deterministic)', async () => {
    const path = join(dir, 'sample.fits');
    const before = readFileSync(path);
    writeFileSync(path, before.subarray(0, 2880 * 10));
    expect(await isSampleUpToDate(path)).toBe(false);
    await ensureSampleImage(dir);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(await isSampleUpToDate(path, sampleKey() + 'x')).toBe(false);
  });
});
