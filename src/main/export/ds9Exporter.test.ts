/**
 * DS9 region files checked by the independent `regions` package (Debian python3-regions, run by
 * scripts/golden/catalogueCheck.py): every shape parses, and — converted into the 30°-rotated test
 * image by regions + astropy.wcs — ellipses land on SExtractor's own pixel centre, axes and THETA_IMAGE.
 * That pins DS9's conventions (1-based image pixels, semi-axes, angle from +x / PA + 90 on the sky).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ds9Exporter } from './ds9Exporter';
import { ROT30_FITS, caesarCatalogue, caesarFixtureWcs, pythonHas, rot30Wcs, runCheck, sextractorCatalogue } from './testSupport';

const dir = mkdtempSync(join(tmpdir(), 'cirasa-ds9-'));
// CI installs these (scripts/ci/install-test-deps.sh): there a missing tool fails instead of skipping.
const HAS_REGIONS = pythonHas(['regions', 'astropy']) || process.env.CI === 'true';

interface Shape { shape: string; center?: number[]; width?: number; height?: number; angle?: number; vertices?: number[][]; meta: Record<string, unknown>; visual: Record<string, string> }

function axisDiff(a: number, b: number): number {
  const d = (((a - b) % 180) + 180) % 180;
  return Math.min(d, 180 - d);
}

describe('DS9 writer (no Python needed)', () => {
  it('writes the 4.1 header, a frame line and 1-based image pixels', async () => {
    const cat = await sextractorCatalogue();
    const { data } = ds9Exporter.render(cat, { frame: 'image' });
    const lines = data.trim().split('\n');
    expect(lines[0]).toBe('# Region file format: DS9 version 4.1');
    expect(lines[2]).toMatch(/^global /);
    expect(lines[3]).toBe('image');
    const s = cat.sources[0]!;
    expect(lines[4]).toBe(`ellipse(${Number((s.x + 1).toFixed(4))},${Number((s.y + 1).toFixed(4))},${Number((s.bmajPx! / 2).toFixed(4))},${Number((s.bminPx! / 2).toFixed(4))},${Number(s.thetaPxDeg!.toFixed(3))}) # text={1} color=white`);
  });

  it('sky frame: angle = PA + 90; contours need a WCS (warning, not a silent drop)', async () => {
    const cat = await caesarCatalogue();
    const noWcs = ds9Exporter.render(cat, { frame: 'fk5' });
    expect(noWcs.warnings.join('\n')).toMatch(/S1: contour not written .*--image/);
    const c = cat.sources[0]!.components[0]!;
    expect(noWcs.data).toContain(`,${Number(((c.paDeg! + 90) % 180).toFixed(3))}) # text={S1_fitcomp1}`);
    const withWcs = ds9Exporter.render(cat, { frame: 'fk5', wcs: caesarFixtureWcs() });
    expect(withWcs.warnings).toEqual([]);
    expect(withWcs.data.match(/^polygon\(/gm)).toHaveLength(4);
    expect(withWcs.data).toContain('tag={a<b&c}');
  });
});

describe.skipIf(!HAS_REGIONS)('DS9 files parsed by the regions package', () => {
  it('SExtractor ellipses in image, fk5, icrs and galactic land on the same pixels in a rotated image', async () => {
    const cat = await sextractorCatalogue();
    const wcs = await rot30Wcs();
    for (const frame of ['image', 'fk5', 'icrs', 'galactic'] as const) {
      const p = join(dir, `sex-${frame}.reg`);
      expect(await ds9Exporter.write(cat, p, { frame, wcs })).toEqual([]);
      const r = runCheck(['regions', p, ROT30_FITS]);
      expect(r.status, JSON.stringify(r.json) + r.stderr).toBe(0);
      const shapes = r.json.shapes as Shape[];
      expect(shapes).toHaveLength(cat.sources.length);
      shapes.forEach((sh, i) => {
        const s = cat.sources[i]!;
        expect(sh.shape).toBe(frame === 'image' ? 'EllipsePixelRegion' : 'EllipseSkyRegion');
        expect(sh.meta.text).toBe(s.name);
        // Sky centres are SExtractor's ALPHA/DELTA_J2000, 0.03" from the WCS of X/Y_IMAGE.
        expect(Math.hypot(sh.center![0]! - s.x, sh.center![1]! - s.y)).toBeLessThan(frame === 'image' ? 1e-3 : 0.03);
        expect(sh.width! / s.bmajPx!).toBeCloseTo(1, 3);
        expect(sh.height! / s.bminPx!).toBeCloseTo(1, 3);
        expect(axisDiff(sh.angle!, s.thetaPxDeg!), `${frame} ${s.name}`).toBeLessThan(0.02);
      });
    }
  });

  it('CAESAR islands as polygons (contour vertices exact), components as tagged ellipses', async () => {
    const cat = await caesarCatalogue();
    const wcs = caesarFixtureWcs();
    for (const frame of ['image', 'fk5'] as const) {
      const p = join(dir, `caesar-${frame}.reg`);
      await ds9Exporter.write(cat, p, { frame, wcs });
      const r = runCheck(['regions', p]);
      expect(r.status, JSON.stringify(r.json) + r.stderr).toBe(0);
      const shapes = r.json.shapes as Shape[];
      const polys = shapes.filter((s) => s.shape.startsWith('Polygon'));
      const ellipses = shapes.filter((s) => s.shape.startsWith('Ellipse'));
      expect(polys).toHaveLength(4);
      expect(ellipses).toHaveLength(4);
      expect(polys[0]!.meta.tag).toEqual(['POINT-LIKE', 'REAL', 'GALAXY', 'a<b&c', 'x,"y"', 'needs review', 'ISLAND']);
      expect(polys[0]!.visual.edgecolor ?? polys[0]!.visual.color).toBe('green');
      expect(ellipses[3]!.meta.tag).toEqual(['COMPACT', 'FAKE', 'FIT-COMPONENT', 'LOW-FIT']);
      if (frame === 'image') {
        // regions reports 0-based pixels: the contour itself.
        expect(polys[0]!.vertices).toEqual(cat.sources[0]!.contour);
      }
    }
    expect(readFileSync(join(dir, 'caesar-image.reg'), 'utf8')).toContain('polygon(27,37,36,37,36,47,27,47)');
  });
});
