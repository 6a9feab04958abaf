// Finder benchmark (not a test; CI need not run it). Maps made by `cirasa simulate`, our finder
// (`cirasa find`) and SExtractor (Debian `source-extractor`, scripts/sextractor/radio.sex) run on each in
// the same run, one after the other, and both are scored against the truth with the same code
// (src/main/finder/evaluate). Maps:
//   powerlaw  4000², power-law fluxes (α 1.7), 1000 sources/deg², 10 % extended       (seed 11)
//   crowded   7200², exp law, 2500 sources/deg², 10 % extended                         (seed 12)
//   noise     4000², no sources: any detection is false                               (seed 13)
// All: 15" beam on 4" pixels (3.75 px FWHM), rms 20 µJy/beam, correlated (beam-convolved) noise.
//
// Definitions (src/main/finder/evaluate/metrics.ts has the same text):
//   true S/N        = truth peak (Jy/beam, beam-convolved) / map rms (the rms the map was simulated with)
//   match           = greedy one-to-one by distance within 0.5 × max(beam FWHM, the source's observed
//                     major FWHM) — half a beam for a point source
//   completeness    = matched truth / truth, per true S/N bin [3,5) [5,7) [7,10) [10,20) [20,50) [50,∞),
//                     and overall for S/N ≥ 5; extended completeness: extended truth sources with S/N ≥ 5
//   reliability     = matched detections / all detections (each finder runs at its 5σ threshold)
//   flux ratio      = measured integrated flux / truth flux, matched point sources with S/N ≥ 10:
//                     median and MAD = median |r − median| (unscaled). SExtractor: FLUX_AUTO / beam area.
//   position error  = distance / beam FWHM, median over matched sources with S/N ≥ 5
//   wall time, peak RSS: of the finder's process (GNU time -v), map already in the page cache.
//
// Usage: node bench/finder.mjs [--maps powerlaw,crowded,noise] [--dir DIR] [--no-build] [--sex-filter]
//                              [--sex-args="-KEY value ..."] (extra SExtractor overrides, for experiments)
//                              [--json OUT.json] [--cli dist/main/cli.js (another build to compare)]
//                              [--repeat N] (time both finders N times, alternating; report medians)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { tsImport } from 'tsx/esm/api';
import { oursAvailable, runOurs } from './lib/ours.mjs';
import { runSextractor, sextractorVersion } from './lib/sextractor.mjs';
import { printMapTable } from './lib/report.mjs';
import { countPeaksAbove, readSimpleFloat32Fits } from './lib/noisePeaks.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    maps: { type: 'string', default: 'powerlaw,crowded,noise' },
    dir: { type: 'string', default: join(root, 'bench', 'results', 'finder') },
    'no-build': { type: 'boolean', default: false },
    'sex-filter': { type: 'boolean', default: false },
    'sex-args': { type: 'string', default: '' },
    json: { type: 'string' },
    repeat: { type: 'string', default: '1' },
    cli: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\nimport ')[0].replace(/^\/\/ ?/gm, ''));
  process.exit(0);
}

const PIXEL_ARCSEC = 4;
const BEAM_ARCSEC = 15;
const RMS = 20e-6;
const BEAM_PX = BEAM_ARCSEC / PIXEL_ARCSEC;
const common = ['--pixel-arcsec', String(PIXEL_ARCSEC), '--beam-arcsec', String(BEAM_ARCSEC), '--rms', String(RMS)];
const MAPS = {
  powerlaw: { size: 4000, args: ['--flux-law', 'powerlaw', '--seed', '11'], about: '4000², power-law flux (α 1.7), 1000 src/deg², 10 % extended' },
  crowded: { size: 7200, args: ['--density', '2500', '--flux-law', 'exp', '--extended-fraction', '0.1', '--seed', '12'], about: '7200², exp law, 2500 src/deg², 10 % extended' },
  noise: { size: 4000, args: ['--count', '0', '--seed', '13'], about: '4000², noise only' },
};

const cliJs = values.cli ?? join(root, 'dist', 'main', 'cli.js');
const workDir = values.dir;
mkdirSync(workDir, { recursive: true });
if (!values['no-build']) execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
const ev = await tsImport('../src/main/finder/evaluate/index.ts', import.meta.url);
const { expectedNoisePeaks } = await tsImport('../src/main/finder/falseDetections.ts', import.meta.url);

const haveOurs = oursAvailable(cliJs);
const sexVersion = sextractorVersion();
console.log(`ours: ${haveOurs ? `cirasa find (${cliJs})` : 'not available (cirasa find missing)'}`);
console.log(`SExtractor: ${sexVersion ?? 'not available (source-extractor missing)'}; filter ${values['sex-filter'] ? 'Y (beam Gaussian)' : 'N'}`);

/** Simulates a map once; the argument list is stored beside it so a changed recipe re-simulates. */
function ensureMap(name) {
  const spec = MAPS[name];
  const image = join(workDir, `${name}-${spec.size}.fits`);
  const truth = join(workDir, `${name}-${spec.size}.truth.csv`);
  const args = ['simulate', '--size', String(spec.size), ...common, ...spec.args, '--out', image, '--truth', truth, '--quiet'];
  const stamp = `${image}.args.json`;
  if (!existsSync(image) || !existsSync(truth) || !existsSync(stamp) || readFileSync(stamp, 'utf8') !== JSON.stringify(args)) {
    const t = performance.now();
    execFileSync(process.execPath, [cliJs, ...args], { stdio: 'inherit' });
    writeFileSync(stamp, JSON.stringify(args));
    console.log(`simulate ${name}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  return { image, truth };
}

const results = [];
for (const name of values.maps.split(',').map((s) => s.trim()).filter(Boolean)) {
  if (!MAPS[name]) throw new Error(`unknown map "${name}" (known: ${Object.keys(MAPS).join(', ')})`);
  const { image, truth: truthCsv } = ensureMap(name);
  const truth = ev.parseTruthCsv(readFileSync(truthCsv, 'utf8'), PIXEL_ARCSEC, truthCsv);
  const opts = { beamFwhmPx: BEAM_PX, rms: RMS };
  const runs = {};
  if (haveOurs) {
    try {
      const r = await runOurs({ cliJs, image, catPath: join(workDir, `${name}.ours.json`) });
      runs.ours = { ...r, metrics: ev.evaluateFinder(truth, r.detections, opts) };
    } catch (e) {
      runs.ours = { error: String(e.message ?? e) };
    }
  }
  if (sexVersion) {
    try {
      const r = await runSextractor({ image, workDir, configDir: join(root, 'scripts', 'sextractor'), beamFwhmPx: BEAM_PX, filter: values['sex-filter'], extraArgs: values['sex-args'].split(/\s+/).filter(Boolean), tag: name });
      runs.sextractor = { ...r, metrics: ev.evaluateFinder(truth, r.detections, opts) };
    } catch (e) {
      runs.sextractor = { error: String(e.message ?? e) };
    }
  }
  // timing repeats: both finders again, alternating, on the same map; times are the medians
  const repeat = Math.max(1, Math.round(Number(values.repeat)));
  if (repeat > 1) {
    const times = { ours: [runs.ours], sextractor: [runs.sextractor] };
    for (let k = 1; k < repeat; k++) {
      if (runs.ours && !runs.ours.error) times.ours.push(await runOurs({ cliJs, image, catPath: join(workDir, `${name}.ours.json`) }));
      if (runs.sextractor && !runs.sextractor.error) times.sextractor.push(await runSextractor({ image, workDir, configDir: join(root, 'scripts', 'sextractor'), beamFwhmPx: BEAM_PX, filter: values['sex-filter'], extraArgs: values['sex-args'].split(/\s+/).filter(Boolean), tag: name }));
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];
    for (const [k, rs] of Object.entries(times)) {
      const r = runs[k];
      if (!r || r.error) continue;
      console.log(`${k} on ${name}, ${repeat} runs: wall ${rs.map((x) => x.wallS.toFixed(2)).join(' ')} s`);
      for (const f of ['wallS', 'cpuS', 'peakRssBytes']) r[f] = median(rs.map((x) => x[f]));
    }
    console.log(`(times below: medians of ${repeat} alternating runs)`);
  }
  printMapTable({ name, about: MAPS[name].about, nTruth: truth.length, haveOurs, runs });
  let noisePeaks5;
  if (truth.length === 0) {
    noisePeaks5 = countPeaksAbove(readSimpleFloat32Fits(image), 5 * RMS);
    console.log(`noise peaks above 5σ in this map (what an ideal 5σ peak detector reports): ${noisePeaks5}`);
    // the sims' noise is white noise convolved with the beam: its correlation has sigma √2·σ_beam,
    // so λ = 1/(2σ_beam²) (the finder assumes noise correlated like the beam itself, 2× more peaks)
    const sigmaPx = BEAM_PX / (2 * Math.sqrt(2 * Math.LN2));
    const expect = (u) => expectedNoisePeaks(u, MAPS[name].size ** 2, 1 / (2 * sigmaPx * sigmaPx)).toFixed(2);
    console.log(`expected noise peaks (Gaussian random field) above 5σ: ${expect(5)}, 5.5σ: ${expect(5.5)}, 6σ: ${expect(6)}`);
  }
  results.push({ name, about: MAPS[name].about, nTruth: truth.length, noisePeaks5, runs: Object.fromEntries(
    Object.entries(runs).map(([k, r]) => [k, { error: r.error, wallS: r.wallS, cpuS: r.cpuS, peakRssBytes: r.peakRssBytes, command: r.command, metrics: r.metrics }]),
  ) });
}
if (values.json) writeFileSync(values.json, JSON.stringify(results, (_k, v) => (v === Infinity ? 'Infinity' : v), 2));
