import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices, type Services } from '../../src/main/app/createServices';
import { bindContract, type Dispatch } from '../../src/main/transport/bindContract';
import { realImage } from '../helpers/paths';

// Every FITS error of the viewer issue, through the real services and binding (as the app calls them):
// the error comes back as data with its code and the file named, and the app keeps working afterwards.
const dir = mkdtempSync(join(tmpdir(), 'cirasa-badfits-'));
const header = (cards: string[]): Buffer => {
  const text = [...cards, 'END'].map((c) => c.padEnd(80)).join('');
  return Buffer.from(text.padEnd(Math.ceil(text.length / 2880) * 2880), 'latin1');
};
const card = (key: string, value: string): string => `${key.padEnd(8)}= ${value.padStart(20)}`;
const image = (bitpix: string, axes: [string, string] | [string]): Buffer =>
  header([card('SIMPLE', 'T'), card('BITPIX', bitpix), card('NAXIS', String(axes.length)), ...axes.map((n, i) => card(`NAXIS${i + 1}`, n))]);
const write = (name: string, ...parts: Buffer[]): string => {
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat(parts));
  return path;
};

const CASES: { code: string; path: () => string }[] = [
  { code: 'fits.notFits', path: () => write('notes.fits', Buffer.from('these are my observing notes\n'.repeat(200))) },
  { code: 'fits.truncated', path: () => write('cut.fits', image('-32', ['64', '64']), Buffer.alloc(1000)) },
  { code: 'fits.badAxis', path: () => write('noaxis2.fits', header([card('SIMPLE', 'T'), card('BITPIX', '-32'), card('NAXIS', '2'), card('NAXIS1', '4')]), Buffer.alloc(2880)) },
  { code: 'fits.unsupportedBitpix', path: () => write('bitpix24.fits', image('24', ['4', '3']), Buffer.alloc(2880)) },
  {
    code: 'fits.notImage',
    path: () =>
      write(
        'tableonly.fits',
        header([card('SIMPLE', 'T'), card('BITPIX', '8'), card('NAXIS', '0'), card('EXTEND', 'T')]),
        header([card('XTENSION', "'BINTABLE'"), card('BITPIX', '8'), card('NAXIS', '2'), card('NAXIS1', '4'), card('NAXIS2', '1'),
          card('PCOUNT', '0'), card('GCOUNT', '1'), card('TFIELDS', '1'), "TFORM1  = '1E      '"]),
        Buffer.alloc(2880),
      ),
  },
];

describe('bad FITS input through the app services: coded error, then the app stays usable', () => {
  let services: Services;
  let dispatch: Dispatch;
  beforeAll(async () => {
    services = await createServices({ mode: 'web', dataDir: join(dir, 'data'), noSample: true });
    dispatch = bindContract(services.handlers);
  });
  afterAll(async () => {
    await services.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const c of CASES) {
    it(`${c.code}: answered as data naming the file; a good image opens and serves tiles afterwards`, async () => {
      const path = c.path();
      const bad = await dispatch('fits.open', { path }, { transport: 'test' });
      expect(bad.ok).toBe(false);
      if (bad.ok) return;
      expect(bad.error.code).toBe(c.code);
      expect(bad.error.message).toContain(path);

      const good = await dispatch('fits.open', { path: realImage('aegean_1904-66_SIN.fits') }, { transport: 'test' });
      expect(good.ok).toBe(true);
      if (!good.ok) return;
      const info = good.value as { imageId: string; width: number };
      expect(info.width).toBe(192);
      const tile = await services.images.readTile({ imageId: info.imageId, level: 0, tx: 0, ty: 0 });
      expect(tile.width).toBe(192);
      // The failed file never reached the recent list; the good one did.
      const recent = await dispatch('recent.list', {}, { transport: 'test' });
      expect(recent.ok && (recent.value as { path: string }[]).map((r) => r.path)).not.toContain(path);
      expect(recent.ok && (recent.value as { path: string }[])[0]?.path).toBe(realImage('aegean_1904-66_SIN.fits'));
    });
  }
});
