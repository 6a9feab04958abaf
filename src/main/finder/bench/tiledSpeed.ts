/**
 * Wall time and memory of the tiled finder on a FITS file (not a test):
 *   npx tsx src/main/finder/bench/tiledSpeed.ts IMAGE.fits [--threads 2] [--tile 1024] [--beam-sigma-px 1.6]
 * Uses the FITS beam when present (BMAJ/BMIN in pixels via CDELT2), else --beam-sigma-px.
 */
import { parseArgs } from 'node:util';
import { openFitsImage } from '../../fits';
import { runFinderTiled } from '../tiledFinder';
import { FWHM_PER_SIGMA } from '../types';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    threads: { type: 'string', default: '2' },
    tile: { type: 'string', default: '1024' },
    'beam-sigma-px': { type: 'string', default: '1.6' },
  },
});
const path = positionals[0];
const image = await openFitsImage(path);
const pix = Math.abs(image.header.getNumber('CDELT2') ?? NaN);
const beam = image.beam && pix > 0
  ? { majorSigmaPx: image.beam.bmajDeg / pix / FWHM_PER_SIGMA, minorSigmaPx: image.beam.bminDeg / pix / FWHM_PER_SIGMA, paDeg: image.beam.bpaDeg }
  : { majorSigmaPx: Number(values['beam-sigma-px']), minorSigmaPx: Number(values['beam-sigma-px']), paDeg: 0 };
await image.close();
let peakRss = 0;
const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
const t0 = performance.now();
const r = await runFinderTiled({ kind: 'fits', path }, beam, {}, { threads: Number(values.threads), tileSize: Number(values.tile) });
clearInterval(timer);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
console.log(
  `${path}: ${r.islands.length} islands, ${r.components.length} components, ${r.tiles} tiles, ${r.passes} background passes, ` +
    `${r.deferred} deferred; ${((performance.now() - t0) / 1000).toFixed(2)} s wall, main-thread peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB`,
);
