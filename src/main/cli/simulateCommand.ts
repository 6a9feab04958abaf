import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../../shared/contract/errors';
import type { FluxLaw } from '../simulate/fluxLaw';
import { DEFAULT_RMS_JY, defaultSimulationOptions, MAX_SIDE, runSimulation, type SimulationOptions } from '../simulate/simulate';
import { EXIT_USAGE, type CliCommand, type CliIo } from './io';

const D = defaultSimulationOptions();

const HELP = `Usage: cirasa simulate [options]

Simulate a radio continuum map like the CIRASA/CAESAR test campaign: correlated Gaussian noise
(white noise convolved with the beam, scaled so the measured rms equals --rms), point sources and
extended elliptical Gaussians (intrinsic FWHM 1-4 beams, axis ratio 0.3-1, random PA, convolved with
the beam). Writes a float32 FITS (BUNIT JY/BEAM, BMAJ/BMIN/BPA, RADESYS/EQUINOX, HISTORY) and a truth
CSV: id,ra,dec,x,y,peak,flux,bmaj,bmin,pa,type (deg; Pixel0; Jy/beam; Jy; arcsec FWHM as observed;
deg east of north; point|extended). Output is deterministic for a given --seed.

Image and sky:
  --size N               square image side in pixels (8-${MAX_SIDE})         [${D.width}]
  --width N, --height N  non-square size (override --size)
  --out FILE.fits        output image                                 [simulated.fits]
  --truth FILE.csv       truth catalogue                              [beside --out: NAME.truth.csv]
  --projection SIN|TAN   sky projection                               [${D.projection}]
  --ra DEG, --dec DEG    pointing centre (reference pixel = centre)   [${D.raDeg}, ${D.decDeg}]
  --pixel-arcsec X       pixel size; RA increases to the left         [${D.pixelArcsec}]
  --beam-arcsec X        circular restoring beam FWHM, BPA 0          [${D.beamArcsec}]
  --rms JY               noise rms in Jy/beam (0 = noise-free)        [${D.rmsJy} = ${D.rmsJy * 1e6} uJy/beam]
Sources:
  --density N            sources per square degree                    [${D.densityPerDeg2}]
  --count N              exact number of sources (overrides --density)
  --extended-fraction F  fraction of extended sources                 [${D.extendedFraction}]
  --min-separation AS    minimum centre separation, arcsec (0 = off)  [${D.minSeparationArcsec}]
  --seed N               random seed (non-negative integer)           [${D.seed}]
Flux law (integrated flux S; for point sources peak Jy/beam = S Jy):
  --flux-law exp|powerlaw                                             [exp]
  --lambda L             exp: log10(S/Smin) ~ exp(-L x), i.e. lambda per DEX of flux, as the CAESAR
                         simulations did (Sslope 1.6); lambda = 1.6/Jy on S itself would make every
                         source ~30000 sigma at 20 uJy/beam                [1.6]
  --alpha A              powerlaw: dN/dS ~ S^-A                        [1.7]
  --smin JY, --smax JY   flux range                                   [1 x rms, 1000 x rms]
                         Defaults give S/N ~ 1...1000: ~32 % of sources above 5 sigma, ~6 % above
                         50 sigma, so completeness can be measured in S/N bins 3-5 ... >50.
  --quiet                no progress on stderr
  --help                 this text
`;

const OPTIONS = {
  size: { type: 'string' },
  width: { type: 'string' },
  height: { type: 'string' },
  out: { type: 'string' },
  truth: { type: 'string' },
  projection: { type: 'string' },
  ra: { type: 'string' },
  dec: { type: 'string' },
  'pixel-arcsec': { type: 'string' },
  'beam-arcsec': { type: 'string' },
  rms: { type: 'string' },
  density: { type: 'string' },
  count: { type: 'string' },
  'extended-fraction': { type: 'string' },
  'min-separation': { type: 'string' },
  seed: { type: 'string' },
  'flux-law': { type: 'string' },
  lambda: { type: 'string' },
  alpha: { type: 'string' },
  smin: { type: 'string' },
  smax: { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

class UsageError extends Error {}

function num(values: Record<string, unknown>, name: string, fallback: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(v)) throw new UsageError(`--${name} expects a number, got '${String(raw)}'`);
  return v;
}

function int(values: Record<string, unknown>, name: string, fallback: number): number {
  const v = num(values, name, fallback);
  if (!Number.isInteger(v)) throw new UsageError(`--${name} expects an integer, got '${String(values[name])}'`);
  return v;
}

/** `--dec -45` → `--dec=-45`: parseArgs would otherwise take "-45" for an option. */
function joinNegativeValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    const name = a.startsWith('--') ? a.slice(2) : '';
    const takesValue = name in OPTIONS && OPTIONS[name as keyof typeof OPTIONS].type === 'string';
    if (takesValue && next !== undefined && /^-\d|^-\.\d/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** argv → simulation options and output paths (throws UsageError for bad flags). */
export function parseSimulateArgs(argv: string[]): { options: SimulationOptions; out: string; truth: string; quiet: boolean } | 'help' {
  let parsed;
  try {
    parsed = parseArgs({ args: joinNegativeValues(argv), options: OPTIONS, allowPositionals: false, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const v = parsed.values as Record<string, unknown>;
  if (v.help) return 'help';
  const size = int(v, 'size', D.width);
  const projection = String(v.projection ?? D.projection).toUpperCase();
  if (projection !== 'SIN' && projection !== 'TAN') throw new UsageError(`--projection must be SIN or TAN, got '${String(v.projection)}'`);
  const rmsJy = num(v, 'rms', D.rmsJy);
  const refRms = rmsJy > 0 ? rmsJy : DEFAULT_RMS_JY;
  const sminJy = num(v, 'smin', refRms);
  const smaxJy = num(v, 'smax', 1000 * refRms);
  const lawName = String(v['flux-law'] ?? 'exp');
  let fluxLaw: FluxLaw;
  if (lawName === 'exp') fluxLaw = { kind: 'exp', lambdaPerDex: num(v, 'lambda', 1.6), sminJy, smaxJy };
  else if (lawName === 'powerlaw') fluxLaw = { kind: 'powerlaw', alpha: num(v, 'alpha', 1.7), sminJy, smaxJy };
  else throw new UsageError(`--flux-law must be exp or powerlaw, got '${lawName}'`);
  const out = String(v.out ?? 'simulated.fits');
  const truth = v.truth !== undefined ? String(v.truth) : join(dirname(out), basename(out).replace(/\.fits?$/i, '') + '.truth.csv');
  if (truth === out) throw new UsageError('--truth and --out name the same file');
  const options: SimulationOptions = {
    ...D,
    width: int(v, 'width', size),
    height: int(v, 'height', size),
    projection,
    raDeg: num(v, 'ra', D.raDeg),
    decDeg: num(v, 'dec', D.decDeg),
    pixelArcsec: num(v, 'pixel-arcsec', D.pixelArcsec),
    beamArcsec: num(v, 'beam-arcsec', D.beamArcsec),
    rmsJy,
    densityPerDeg2: num(v, 'density', D.densityPerDeg2),
    extendedFraction: num(v, 'extended-fraction', D.extendedFraction),
    minSeparationArcsec: num(v, 'min-separation', D.minSeparationArcsec),
    seed: int(v, 'seed', D.seed),
    fluxLaw,
  };
  if (v.count !== undefined) options.count = int(v, 'count', 0);
  return { options, out, truth, quiet: Boolean(v.quiet) };
}

function progressReporter(io: CliIo, quiet: boolean, pixels: number): ((phase: string, f: number) => void) | undefined {
  if (quiet || pixels < 2048 * 2048) return undefined;
  let last = '';
  return (phase, f) => {
    const label = `${phase === 'calibrate' ? 'measuring noise' : 'rendering'} ${Math.floor(f * 10) * 10}%`;
    if (label !== last) {
      last = label;
      io.stderr.write(`simulate: ${label}\n`);
    }
  };
}

export const simulateCommand: CliCommand = {
  summary: 'simulate a radio continuum map (noise + point/extended sources) with a truth catalogue',
  async run(argv, io) {
    let args;
    try {
      args = parseSimulateArgs(argv);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      io.stderr.write(`cirasa simulate: ${err.message}\nRun 'cirasa simulate --help' for the options.\n`);
      return EXIT_USAGE;
    }
    if (args === 'help') {
      io.stdout.write(HELP);
      return 0;
    }
    const { options, out, truth, quiet } = args;
    try {
      const result = await runSimulation(
        options,
        { fitsPath: out, truthPath: truth, history: ['cirasa simulate', ...argv].join(' ') },
        { onProgress: progressReporter(io, quiet, options.width * options.height) },
      );
      io.stdout.write(
        `simulate: wrote ${result.fitsPath} (${result.width}x${result.height}) and ${result.truthPath} ` +
          `(${result.sources} sources) in ${result.seconds.toFixed(1)} s\n`,
      );
      return 0;
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation') {
        io.stderr.write(`cirasa ${err.message}\nRun 'cirasa simulate --help' for the options.\n`);
        return EXIT_USAGE;
      }
      throw err;
    }
  },
};
