import type { Source } from '../../shared/domain/source';
import type { CatalogueInput } from './cataloguesRepo';
import { mulberry32 } from '../../shared/random';


export interface SyntheticOptions {
  count: number;
  seed?: number;
  /** Every n-th source gets two fitted components (0 = none). */
  componentsEvery?: number;
  /** Every n-th source carries a finder label (0 = none). */
  labelledEvery?: number;
}

/**
 * A synthetic finder catalogue streamed as a generator (benchmarks and tests of the store): sources with
 * the usual measured fields filled, on a 32000² image at 1.5"/px around (RA 250, Dec -45).
 */
export function syntheticCatalogue(options: SyntheticOptions): CatalogueInput {
  const { count, seed = 1, componentsEvery = 0, labelledEvery = 0 } = options;
  function* sources(): Generator<Source> {
    const rnd = mulberry32(seed);
    for (let i = 1; i <= count; i++) {
      const x = rnd() * 32000;
      const y = rnd() * 32000;
      const snr = 3 + 200 * rnd() ** 4;
      const rms = 2e-5 * (0.8 + 0.4 * rnd());
      const peak = snr * rms;
      const bmaj = 15 + 10 * rnd();
      const s: Source = {
        id: `S${i}`, name: `S${i}`, finder: 'synthetic', type: i % 10 === 0 ? 'extended' : 'point', islandId: `I${i}`,
        x, y, xErrPx: 0.1 + rnd(), yErrPx: 0.1 + rnd(),
        ra: 250 + (x - 16000) * 1.5 / 3600, dec: -45 + (y - 16000) * 1.5 / 3600, raErr: 1e-5, decErr: 1e-5,
        peak, peakErr: rms, flux: peak * (bmaj / 15), fluxErr: rms * 1.2, snr,
        bmajArcsec: bmaj, bminArcsec: 15, paDeg: 180 * rnd(), bmajPx: bmaj / 1.5, bminPx: 10, thetaPxDeg: 180 * rnd(),
        npix: 10 + Math.floor(100 * rnd()), bkg: 1e-6 * rnd(), rms, components: [],
      };
      if (componentsEvery > 0 && i % componentsEvery === 0) {
        for (let k = 1; k <= 2; k++) {
          s.components.push({ id: `S${i}_fitcomp${k}`, index: k, x: x + k, y: y - k, peak: peak / k, flux: s.flux! / k, fitQuality: 'HIGH' });
        }
      }
      if (labelledEvery > 0 && i % labelledEvery === 0) s.labels = { sourceness: 'CANDIDATE', morphology: 'COMPACT' };
      yield s;
    }
  }
  return {
    version: 1, id: `synthetic-${count}-${seed}`, name: `synthetic ${count}`, finder: 'synthetic',
    createdAt: '2025-01-01T00:00:00.000Z', frame: 'fk5', sources: { [Symbol.iterator]: sources },
  };
}
