// SExtractor as the peer finder: config (scripts/sextractor/radio.sex) with beam-scaled overrides,
// a Gaussian filter kernel matched to the beam, and a reader of its ASCII_HEAD catalogue.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runMeasured } from './measure.mjs';

export const SEXTRACTOR = 'source-extractor';

export function sextractorVersion() {
  const r = spawnSync(SEXTRACTOR, ['-v'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  return (r.stdout + r.stderr).trim().split('\n')[0];
}

/** Writes a normalised Gaussian convolution kernel of the given FWHM (pixels), side = odd ≥ 2·FWHM. */
export function writeGaussConv(path, fwhmPx) {
  const sigma = fwhmPx / (2 * Math.sqrt(2 * Math.LN2));
  const half = Math.max(1, Math.ceil(fwhmPx));
  const rows = [];
  for (let y = -half; y <= half; y++) {
    const row = [];
    for (let x = -half; x <= half; x++) row.push(Math.exp(-(x * x + y * y) / (2 * sigma * sigma)).toFixed(6));
    rows.push(row.join(' '));
  }
  const n = 2 * half + 1;
  writeFileSync(path, `CONV NORM\n# ${n}x${n} Gaussian, FWHM ${fwhmPx.toFixed(3)} px (the restoring beam)\n${rows.join('\n')}\n`);
}

/** Command-line overrides that scale radio.sex to a map's beam (see scripts/sextractor/README.md). */
export function sextractorOverrides({ beamFwhmPx, filter, convPath, catPath, paramPath }) {
  return [
    '-CATALOG_NAME', catPath,
    '-PARAMETERS_NAME', paramPath,
    '-BACK_SIZE', String(Math.round(17 * beamFwhmPx)),
    '-FILTER', filter ? 'Y' : 'N',
    '-FILTER_NAME', convPath,
  ];
}

/** Parses an ASCII_HEAD catalogue: `#  i NAME ...` header lines then whitespace-separated rows. */
export function parseAsciiHead(text) {
  const cols = [];
  const rows = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) {
      const m = /^#\s+(\d+)\s+(\S+)/.exec(line);
      if (m) cols[Number(m[1]) - 1] = m[2];
      continue;
    }
    if (!line.trim()) continue;
    const f = line.trim().split(/\s+/).map(Number);
    const row = {};
    // A vector column spans several indices: fill the gaps with NAME_k.
    let last = '';
    f.forEach((v, i) => {
      last = cols[i] ?? `${last}_${i}`;
      row[last] = v;
    });
    rows.push(row);
  }
  return { columns: cols.filter(Boolean), rows };
}

/**
 * Runs SExtractor on `image` in `workDir`. Flux in Jy = FLUX_AUTO / beam area in pixels (the map is in
 * Jy/beam); positions are converted from FITS 1-based to Pixel0.
 * @returns {Promise<{detections:{id:number,x:number,y:number,flux:number}[], wallS:number, cpuS:number, peakRssBytes:number}>}
 */
export async function runSextractor({ image, workDir, configDir, beamFwhmPx, filter, extraArgs = [], tag }) {
  const catPath = join(workDir, `${tag}.sex.cat`);
  const convPath = join(workDir, `${tag}.beam.conv`);
  writeGaussConv(convPath, beamFwhmPx);
  const args = [image, '-c', join(configDir, 'radio.sex'),
    ...sextractorOverrides({ beamFwhmPx, filter, convPath, catPath, paramPath: join(configDir, 'radio.param') }), ...extraArgs];
  const r = await runMeasured(SEXTRACTOR, args, { cwd: workDir });
  if (r.code !== 0) throw new Error(`source-extractor exited ${r.code}: ${r.stderr.slice(-2000)}`);
  const beamAreaPx = beamAreaPxOf(beamFwhmPx);
  const { rows } = parseAsciiHead(readFileSync(catPath, 'utf8'));
  const detections = rows.map((row) => ({
    id: row.NUMBER,
    x: row.X_IMAGE - 1,
    y: row.Y_IMAGE - 1,
    flux: row.FLUX_AUTO / beamAreaPx,
  }));
  return { detections, wallS: r.wallS, cpuS: r.cpuS, peakRssBytes: r.peakRssBytes, command: `${SEXTRACTOR} ${args.join(' ')}` };
}

/** Area of a circular Gaussian beam in pixels: π/(4 ln 2) · FWHM². Flux (Jy) = Σ(Jy/beam) / this. */
export function beamAreaPxOf(beamFwhmPx) {
  return (Math.PI / (4 * Math.LN2)) * beamFwhmPx * beamFwhmPx;
}
