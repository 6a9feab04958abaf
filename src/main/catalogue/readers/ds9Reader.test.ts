/** DS9 round trips: our region files (and CAESAR-style ones) read back into the model. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ds9Exporter } from '../../export';
import { caesarCatalogue, caesarFixtureWcs, rot30Wcs, sextractorCatalogue } from '../../export/testSupport';
import { readCatalogue } from '../registry';

const dir = mkdtempSync(join(tmpdir(), 'cirasa-ds9r-'));

function axisDiff(a: number, b: number): number {
  const d = (((a - b) % 180) + 180) % 180;
  return Math.min(d, 180 - d);
}

describe('DS9 reader', () => {
  it('SExtractor ellipses round-trip in image and sky frames (rotated WCS)', async () => {
    const cat = await sextractorCatalogue();
    const wcs = await rot30Wcs();
    for (const frame of ['image', 'fk5', 'galactic'] as const) {
      const p = join(dir, `sex-${frame}.reg`);
      await ds9Exporter.write(cat, p, { frame, wcs });
      const back = await readCatalogue(p, { wcs });
      expect(back.sources.map((s) => s.name)).toEqual(cat.sources.map((s) => s.name));
      back.sources.forEach((b, i) => {
        const s = cat.sources[i]!;
        expect(Math.hypot(b.x - s.x, b.y - s.y)).toBeLessThan(frame === 'image' ? 1e-4 : 0.03);
        expect(b.bmajArcsec! / s.bmajArcsec!).toBeCloseTo(1, 4);
        expect(b.bminArcsec! / s.bminArcsec!).toBeCloseTo(1, 4);
        expect(axisDiff(b.thetaPxDeg!, s.thetaPxDeg!)).toBeLessThan(0.01);
        if (frame !== 'galactic') expect(axisDiff(b.paDeg!, s.paDeg!)).toBeLessThan(0.01);
      });
    }
  });

  it('CAESAR islands: contours exact, components attached, labels and fit quality back', async () => {
    const cat = await caesarCatalogue();
    const p = join(dir, 'caesar.reg');
    await ds9Exporter.write(cat, p, { frame: 'image', wcs: caesarFixtureWcs() });
    const back = await readCatalogue(p);
    expect(back.finder).toBe('ds9');
    expect(back.sources.map((s) => s.name)).toEqual(cat.sources.map((s) => s.name));
    back.sources.forEach((b, i) => {
      const s = cat.sources[i]!;
      expect(b.contour).toEqual(s.contour);
      expect(b.components.map((c) => c.id)).toEqual(s.components.map((c) => c.id));
      const { history: _h, ...labels } = s.labels ?? {};
      expect(b.labels).toEqual({ ...labels, class: labels.class === 'UNKNOWN' ? undefined : labels.class, tags: labels.tags } as typeof labels);
      b.components.forEach((c, k) => {
        expect(c.fitQuality).toBe(s.components[k]!.fitQuality);
        expect(c.x).toBeCloseTo(s.components[k]!.x, 4);
      });
    });
  });

  it('a file without island contours (exported with no WCS) keeps every multi-component source apart', async () => {
    const cat = await caesarCatalogue();
    expect(cat.sources.some((s) => s.components.length > 1)).toBe(true);
    const noContours = { ...cat, sources: cat.sources.map(({ contour: _c, ...s }) => s) };
    const p = join(dir, 'caesar-no-contours.reg');
    await ds9Exporter.write(noContours, p, { frame: 'image', wcs: caesarFixtureWcs() });
    const back = await readCatalogue(p);
    // A source without a contour is written as its components only: each comes back under its own source.
    expect(back.sources.map((s) => s.name)).toEqual(cat.sources.map((s) => s.name));
    expect(back.sources.map((s) => s.components.map((c) => c.id))).toEqual(cat.sources.map((s) => s.components.map((c) => c.id)));
  });

  it('reads CAESAR-written region lines (1-based polygon, HQ-FIT/FALSE tags) and locates bad arguments', async () => {
    const p = join(dir, 'ds9-field.reg');
    writeFileSync(p, [
      '# Region file format: DS9 version 4.1',
      'global color=red font="helvetica 8 normal" edit=1 move=1 delete=1 include=1',
      'image',
      'polygon 27 37 36 37 36 47 # text={S1} color=red tag={POINT-LIKE} tag={REAL}',
      'ellipse 31.2 41.7 2.7 2.2 20.0 # text={S1_fitcomp1} color=red tag={POINT-LIKE} tag={FIT-COMPONENT} tag={FALSE} tag={HQ-FIT}',
      '',
    ].join('\n'));
    const cat = await readCatalogue(p);
    const s = cat.sources[0]!;
    expect(s.contour).toEqual([[26, 36], [35, 36], [35, 46]]);
    expect(s.components[0]).toMatchObject({ id: 'S1_fitcomp1', x: 30.2, y: 40.7, bmajPx: 5.4, bminPx: 4.4, thetaPxDeg: 20, fitQuality: 'HIGH', labels: { sourceness: 'FAKE', morphology: 'POINT-LIKE' } });
    writeFileSync(p, '# Region file format: DS9 version 4.1\nimage\nellipse(1,2,x,3,4)\n');
    await expect(readCatalogue(p)).rejects.toMatchObject({ code: 'catalogue.parseFailed', message: expect.stringContaining('line 3') });
    writeFileSync(p, '# Region file format: DS9 version 4.1\nfk5\ncircle(150,-30,5")\n');
    await expect(readCatalogue(p)).rejects.toMatchObject({ code: 'catalogue.parseFailed', message: expect.stringContaining('--image') });
  });
});
