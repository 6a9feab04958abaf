/**
 * `cirasa find IMAGE --out CAT.json`: the built-in finder on a FITS image, tiled over worker
 * threads, written as the normalized catalogue (JSON) with sky positions from the image WCS.
 */
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { exportCatalogue } from '../export';
import { AppError } from '../../shared/contract/errors';
import type { Beam } from '../../shared/contract/images';
import { openFitsImage } from '../fits';
import { runFinder } from '../finder/runFinder';
import { canonicalize, runFinderTiled } from '../finder/tiledFinder';
import { beamToPixels, toCatalogue } from '../finder/toCatalogue';
import { FinderOptionsSchema, type BeamPx, type FinderOptions, type FinderResult } from '../finder/types';
import { parseWcs, type Wcs } from '../wcs';
import { EXIT_USAGE, type CliCommand, type CliIo } from './io';

// one worker per core: the main thread only dispatches tiles and merges results while they run
const DEFAULT_THREADS = Math.max(1, Math.min(8, availableParallelism()));

const HELP = `Usage: cirasa find IMAGE.fits --out CATALOGUE.json [options]

Finds sources with the built-in finder: robust background and noise maps (masked re-estimation for
crowded fields), islands above --seed sigma grown to --merge sigma, deblending and multi-Gaussian fits
with Condon (1997) errors. Writes the normalized catalogue as JSON (islands as sources, fitted Gaussians
as components; positions in the image's sky frame, sizes FWHM arcsec, PA deg east of north).

Options:
  --out FILE           output catalogue                             [required]
  --format json        catalogue format (other exports: see the export module)  [json]
  --hdu N              0-based HDU                                  [first image HDU]
  --plane I[,J]        0-based index along axes 3, 4...             [0]
  --seed S             seed threshold, sigma                        [5]
  --merge S            merge (flood) threshold, sigma               [2.6]
  --min-pixels N       smallest island                              [5]
  --options JSON       any other finder option, e.g. '{"bkgBoxBeams":30,"maxComponents":3}';
                       '{"extendedScalesBeams":[2,4,8]}' adds the extended-emission search
                       (reads the whole plane into memory: not tiled yet)
  --beam-arcsec B      beam FWHM (BMAJ[,BMIN[,BPA]]) when the header has none
  --threads N          worker threads (0 = this thread)             [${DEFAULT_THREADS}]
  --tile N             tile side in pixels                          [1024]
  --quiet              no progress on stderr
  -h, --help           this text
`;

class UsageError extends Error {}

async function runInMemory(spec: { path: string; hdu?: number; plane?: number[] }, beam: BeamPx, opts: FinderOptions): Promise<FinderResult> {
  const image = await openFitsImage(spec.path, { ...(spec.hdu !== undefined ? { hdu: spec.hdu } : {}), ...(spec.plane ? { plane: spec.plane } : {}) });
  try {
    const data = await image.readRows(0, image.height);
    const r = runFinder({ width: image.width, height: image.height, data }, beam, opts);
    // canonical ids (peak raster order, as the tiled run gives) for islands and the extended links
    const order = [...r.islands].sort((a, b) => a.peakY * image.width + a.peakX - (b.peakY * image.width + b.peakX));
    const canonicalId = new Map(order.map((isl, k) => [isl.id, k + 1]));
    const extended = r.extended?.map((e) => ({ ...e, components: e.components.map((c) => ({ ...c, islandId: canonicalId.get(c.islandId)! })) }));
    return { ...canonicalize(r.islands, r.components, image.width), medianRms: r.medianRms, ...(extended ? { extended } : {}) };
  } finally {
    await image.close();
  }
}

function numberArg(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} expects a number, got '${v}'`);
  return n;
}

function finderOptionsFrom(values: Record<string, string | boolean | undefined>): FinderOptions {
  let extra: unknown = {};
  if (typeof values.options === 'string') {
    try {
      extra = JSON.parse(values.options);
    } catch {
      throw new UsageError(`--options is not valid JSON: ${values.options}`);
    }
  }
  const given = {
    ...(extra as object),
    ...(values.seed !== undefined ? { seedSigma: numberArg(values.seed as string, 'seed') } : {}),
    ...(values.merge !== undefined ? { mergeSigma: numberArg(values.merge as string, 'merge') } : {}),
    ...(values['min-pixels'] !== undefined ? { minPixels: numberArg(values['min-pixels'] as string, 'min-pixels') } : {}),
  };
  const parsed = FinderOptionsSchema.safeParse(given);
  if (!parsed.success) throw new UsageError(`bad finder options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

function beamArg(v: string): Beam {
  const parts = v.split(',').map((s) => numberArg(s, 'beam-arcsec')!);
  const [maj, min = maj, pa = 0] = parts;
  if (!(maj > 0) || !(min > 0)) throw new UsageError(`--beam-arcsec needs positive sizes, got '${v}'`);
  return { bmajDeg: maj / 3600, bminDeg: min / 3600, bpaDeg: pa, source: 'BMAJ' };
}

export const findCommand: CliCommand = {
  summary: 'find sources in a FITS image with the built-in finder (writes a JSON catalogue)',
  async run(argv: string[], io: CliIo): Promise<number> {
    let values: Record<string, string | boolean | undefined>;
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          out: { type: 'string' },
          format: { type: 'string', default: 'json' },
          hdu: { type: 'string' },
          plane: { type: 'string' },
          seed: { type: 'string' },
          merge: { type: 'string' },
          'min-pixels': { type: 'string' },
          options: { type: 'string' },
          'beam-arcsec': { type: 'string' },
          threads: { type: 'string' },
          tile: { type: 'string' },
          quiet: { type: 'boolean', default: false },
          help: { type: 'boolean', short: 'h', default: false },
        },
      }));
    } catch (err) {
      io.stderr.write(`cirasa find: ${(err as Error).message}\n${HELP}`);
      return EXIT_USAGE;
    }
    if (values.help) {
      io.stdout.write(HELP);
      return 0;
    }
    try {
      if (positionals.length !== 1) throw new UsageError('expects exactly one IMAGE');
      if (typeof values.out !== 'string') throw new UsageError('--out is required');
      if (values.format !== 'json') throw new UsageError(`--format: only 'json' (the normalized catalogue) for now, got '${String(values.format)}'`);
      const opts = finderOptionsFrom(values);
      const hdu = numberArg(values.hdu as string | undefined, 'hdu');
      const plane = typeof values.plane === 'string' ? values.plane.split(',').map((s) => numberArg(s, 'plane')!) : undefined;
      const threads = numberArg(values.threads as string | undefined, 'threads') ?? DEFAULT_THREADS;
      const tileSize = numberArg(values.tile as string | undefined, 'tile') ?? 1024;
      const path = positionals[0];
      const image = await openFitsImage(path, { ...(hdu !== undefined ? { hdu } : {}), ...(plane ? { plane } : {}) });
      let wcs: Wcs | undefined;
      let beam: Beam | null;
      try {
        try {
          wcs = parseWcs(image.header.values, path);
        } catch {
          wcs = undefined;
        }
        beam = typeof values['beam-arcsec'] === 'string' ? beamArg(values['beam-arcsec']) : image.beam;
      } finally {
        await image.close();
      }
      if (!beam) throw new AppError('validation', `${path}: no restoring beam in the header (BMAJ/BMIN); give --beam-arcsec`, { file: path });
      if (!wcs) throw new AppError('wcs.noCelestialAxes', `${path}: no celestial WCS: cannot express the beam in pixels`, { file: path });
      const beamPx = beamToPixels(beam, wcs, { x: (image.width - 1) / 2, y: (image.height - 1) / 2 });
      const started = performance.now();
      const spec = { kind: 'fits' as const, path, ...(hdu !== undefined ? { hdu } : {}), ...(plane ? { plane } : {}) };
      // the extended search is not tiled yet: such runs read the whole plane into memory
      const result =
        opts.extendedScalesBeams.length > 0
          ? await runInMemory(spec, beamPx, opts)
          : await runFinderTiled(spec, beamPx, opts, {
              threads,
              tileSize,
              onProgress: values.quiet ? undefined : ({ phase, done, total }) => io.stderr.write(`\r${phase} ${done}/${total}   `),
            });
      const catalogue = toCatalogue(result, { name: basename(values.out), imagePath: path, wcs, beam, parameters: { ...opts, threads, tileSize } });
      // The JSON exporter's envelope, so `cirasa convert`, the app's import and readCatalogue read it back.
      await exportCatalogue(catalogue, 'json', values.out);
      if (!values.quiet) {
        io.stderr.write(
          `\r${result.islands.length} sources, ${result.components.length} components, median rms ${result.medianRms.toExponential(3)} Jy/beam, ` +
            `${((performance.now() - started) / 1000).toFixed(1)} s -> ${values.out}\n`,
        );
      }
      return 0;
    } catch (err) {
      if (err instanceof UsageError) {
        io.stderr.write(`cirasa find: ${err.message}\n`);
        return EXIT_USAGE;
      }
      throw err;
    }
  },
};
