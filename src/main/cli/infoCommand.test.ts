import { describe, expect, it } from 'vitest';
import { runCirasaInProcess } from '../../../test/helpers/cli';
import { realImage } from '../../../test/helpers/paths';


const run = runCirasaInProcess;

describe('cirasa info', () => {
  it('describes a 4-axis AIPS image: axes, beam from HISTORY, FK4 WCS, integer data', async () => {
    const r = await run(['info', realImage('obit_CygnusA_VLA74MHz.fits'), '--json']);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.out);
    expect(info).toMatchObject({ width: 155, height: 135, bitpix: 16, bunit: 'JY/BEAM', hdu: 0 });
    expect(info.planeAxes.map((a: { ctype: string }) => a.ctype)).toEqual(['FREQ', 'STOKES']);
    expect(info.beam.source).toBe('HISTORY');
    expect(info.beam.bmajArcsec).toBeCloseTo(22, 1);
    expect(info.wcs.summary).toContain('FK4');
    expect(info.hdus.map((h: { kind: string }) => h.kind)).toEqual(['image', 'bintable']);
    expect(info.stats.max).toBe(4054);
  });

  it('reports a non-FITS file with its error code and a data-error exit status', async () => {
    const r = await run(['info', new URL(import.meta.url).pathname]);
    expect(r.code).toBe(65);
    expect(r.err).toContain('fits.notFits');
    expect(r.err).toContain('infoCommand.test.ts');
  });

  it('rejects bad usage with exit 64', async () => {
    expect((await run(['info'])).code).toBe(64);
    expect((await run(['info', 'x.fits', '--hdu', 'two'])).code).toBe(64);
  });
});
