/**
 * `cirasa find` end to end on a map made by `cirasa simulate` (its own truth CSV), scored with the
 * finder/evaluate cross-match; sky positions checked against astropy (/usr/bin/python3).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCirasaInProcess } from '../../../test/helpers/cli';
import { readCatalogue } from '../catalogue';
import type { Catalogue } from '../../shared/domain/source';
import { evaluateFinder, parseTruthCsv } from '../finder/evaluate';

const dir = mkdtempSync(join(tmpdir(), 'cirasa-findcli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = runCirasaInProcess;

describe('cirasa find', () => {
  it('finds the simulated sources: completeness, reliability, flux scale; sky positions match astropy', async () => {
    const image = join(dir, 'sim.fits');
    const catPath = join(dir, 'sim.json');
    // 4" pixels, 15" beam, 20 µJy/beam correlated noise
    expect((await cli(['simulate', '--size', '500', '--out', image, '--seed', '3', '--quiet'])).code).toBe(0);
    const r = await cli(['find', image, '--out', catPath, '--format', 'json', '--threads', '0', '--tile', '256', '--quiet']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const cat = await readCatalogue(catPath); // through our importer: the file is what the app imports
    expect(cat.finder).toBe('cirasa');
    expect(cat.beam?.bmajArcsec).toBeCloseTo(15, 6);
    const truth = parseTruthCsv(readFileSync(join(dir, 'sim.truth.csv'), 'utf8'), 4);
    const detections = cat.sources.flatMap((s) => s.components.map((c, i) => ({ id: i, x: c.x, y: c.y, flux: c.flux ?? NaN })));
    const m = evaluateFinder(truth, detections, { beamFwhmPx: 15 / 4, rms: 20e-6 });
    expect(m.completeness.total).toBeGreaterThan(50);
    expect(m.completeness.value).toBeGreaterThanOrEqual(0.9);
    // ~100 detections: one unmatched blend of two faint truths moves this by 1 % (the 7200² bench measures it properly)
    expect(m.reliability.value).toBeGreaterThanOrEqual(0.97);
    expect(Math.abs(m.fluxRatio.median - 1)).toBeLessThan(0.03);
    expect(m.fluxRatio.mad).toBeLessThan(0.06);
    expect(m.positionErrorBeams.median).toBeLessThan(0.1);

    const comps = cat.sources.flatMap((s) => s.components).slice(0, 20);
    if (existsSync('/usr/bin/python3')) {
      const script = `
import sys, json
from astropy.io import fits
from astropy.wcs import WCS
w = WCS(fits.getheader(sys.argv[1])).celestial
xy = json.loads(sys.argv[2])
print(json.dumps(w.all_pix2world([p[0] for p in xy], [p[1] for p in xy], 0)[0].tolist() + w.all_pix2world([p[0] for p in xy], [p[1] for p in xy], 0)[1].tolist()))
`;
      const out = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, image, JSON.stringify(comps.map((c) => [c.x, c.y]))], { encoding: 'utf8' })) as number[];
      comps.forEach((c, k) => {
        expect(Math.abs(c.ra! - out[k])).toBeLessThan(1e-7);
        expect(Math.abs(c.dec! - out[comps.length + k])).toBeLessThan(1e-7);
      });
    }
    // point sources: fitted sizes are the beam, PA is defined on the sky
    const bright = cat.sources.flatMap((s) => s.components).filter((c) => (c.snr ?? 0) > 50 && (c.bmajArcsec ?? 0) < 17);
    expect(bright.length).toBeGreaterThan(5);
    for (const c of bright) expect(Math.abs(c.bmajArcsec! / 15 - 1)).toBeLessThan(0.1);
  });

  it('prints help and rejects bad usage', async () => {
    const help = await cli(['find', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('--out FILE');
    expect((await cli(['find', join(dir, 'x.fits')])).code).toBe(64);
    expect((await cli(['find', join(dir, 'x.fits'), '--out', 'y', '--seed', 'abc'])).err).toMatch(/--seed expects a number/);
    expect((await cli(['find', join(dir, 'x.fits'), '--out', 'y', '--format', 'fits'])).err).toMatch(/--format: one of json, csv, votable/);
    expect((await cli(['find', join(dir, 'x.fits'), '--out', 'y', '--options', '{"seedSigma":-1}'])).err).toMatch(/bad finder options/);
  });
});

describe('cirasa find with the extended search', () => {
  it('writes extended islands as sources and links the compact sources on them', async () => {
    const { writeFitsImage } = await import('../fits');
    const { addGaussian, addNoise, makePlane } = await import('../finder/synthetic');
    const w = 300;
    const p = makePlane(w, w);
    addNoise(p, 20e-6, 8);
    addGaussian(p, { amp: 30e-6, x: 150, y: 150, majorSigma: 14, minorSigma: 10, paDeg: 30 });
    addGaussian(p, { amp: 600e-6, x: 140, y: 150, majorSigma: 1.6, minorSigma: 1.6, paDeg: 0 });
    addGaussian(p, { amp: 800e-6, x: 40, y: 260, majorSigma: 1.6, minorSigma: 1.6, paDeg: 0 });
    const image = join(dir, 'diffuse.fits');
    const cards = [
      ['CTYPE1', 'RA---SIN'], ['CTYPE2', 'DEC--SIN'], ['CRVAL1', 150], ['CRVAL2', -30], ['CRPIX1', 150], ['CRPIX2', 150],
      ['CDELT1', -4 / 3600], ['CDELT2', 4 / 3600], ['BMAJ', 15 / 3600 * (1.6 * 2.3548 / 3.75)], ['BMIN', 15 / 3600 * (1.6 * 2.3548 / 3.75)], ['BPA', 0], ['BUNIT', 'JY/BEAM'],
    ].map(([key, value]) => ({ key: key as string, value: value as string | number }));
    await writeFitsImage(image, { width: w, height: w, data: p.data, cards });
    const out = join(dir, 'diffuse.json');
    const r = await cli(['find', image, '--out', out, '--quiet', '--options', '{"extendedScalesBeams":[2,4,8]}']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const cat = await readCatalogue(out);
    const ext = cat.sources.filter((s) => s.id.startsWith('E'));
    expect(ext).toHaveLength(1);
    expect(ext[0].type).toBe('extended');
    expect(ext[0].contour!.length).toBeGreaterThan(10);
    const compact = cat.sources.filter((s) => !s.id.startsWith('E'));
    expect(compact).toHaveLength(2);
    const onIt = compact.find((s) => Math.abs(s.x - 140) < 2)!;
    const offIt = compact.find((s) => Math.abs(s.x - 40) < 2)!;
    expect(onIt.parentId).toBe(ext[0].id);
    expect(offIt.parentId).toBeUndefined();
  });
});
