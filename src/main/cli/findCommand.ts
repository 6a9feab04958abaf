/**
 * `cirasa find IMAGE --out CAT.json`: the built-in finder on a FITS image, tiled over worker
 * threads, written as the normalized catalogue (JSON) with sky positions from the image WCS.
 */
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { exportCatalogue } from '../export';
import { AppError } from '../../shared/contract/errors';
import type { Beam } from '../../shared/contract/images';
import { openFitsImage } from '../fits';
import { runFinderTiledWithExtended } from '../finder/extendedTiled';
import { writeCatalogueJson } from '../finder/catalogueJson';
import { writeCatalogueJsonFromIslands } from '../finder/islandJson';
import { describeControl } from '../finder/falseDetections';
import { beamToPixels, toCatalogue, type CatalogueInfo } from '../finder/toCatalogue';
import type { TiledFinderResult } from '../finder/tiledFinder';
import { FinderOptionsSchema, type FinderOptions, type FinderResult } from '../finder/types';
import { parseWcs, type Wcs } from '../wcs';
import { mergePartFiles, parsePartArg, stageRunOptions, writeBackgroundStage, writePartStage, type PreparedImage, type StageRun } from './findCommandParts';
import { EXIT_USAGE, parseFlags, type CliCommand, type CliIo } from './io';

// one worker per core: the main thread only dispatches tiles and merges results while they run
const DEFAULT_THREADS = Math.max(1, Math.min(8, availableParallelism()));

const HELP = `Usage: cirasa find IMAGE.fits --out CATALOGUE [options]
       cirasa find IMAGE.fits --part K/N --out PART.json [--background BKG.json] [options]
       cirasa find --merge PART0.json PART1.json ... --out CATALOGUE [--format F] [--regions FILE.reg]
       cirasa find IMAGE.fits --background-out BKG.json [options]

Finds sources with the built-in finder: robust background and noise maps (masked re-estimation for
crowded fields), islands above --seed sigma grown to --merge-sigma, deblending and multi-Gaussian fits
with Condon (1997) errors. Writes the normalized catalogue (islands as sources, fitted Gaussians
as components; positions in the image's sky frame, sizes FWHM arcsec, PA deg east of north).

Distributed runs (e.g. a job array): '--part K/N' (K = 0…N-1) finds the sources whose peak lies in
part K of N (a run of tiles in raster order) and writes a part file; '--merge' joins all N part
files into the catalogue, identical to the one-process run with the same options and --tile. Each
part computes the whole image's background itself (streamed: CPU, not memory) unless it is given
'--background BKG.json', written once before by '--background-out' with the same options.

Options:
  --out FILE           output catalogue (or part file with --part)  [required]
  --format F           json | csv | votable                         [json]
  --regions FILE       also write the sources as DS9 regions
  --part K/N           only part K (0-based) of N; --out gets a part file
  --merge              the positionals are part files to merge
  --background FILE    use this background file (from --background-out)
  --background-out F   write the whole image's background grid to F (and stop, without --out)
  --hdu N              0-based HDU                                  [first image HDU]
  --plane I[,J]        0-based index along axes 3, 4...             [0]
  --seed S             seed threshold, sigma                        [5]
  --merge-sigma S      merge (flood) threshold, sigma               [2.6]
  --min-pixels N       smallest island                              [5]
  --fdr Q              image-wide false-detection rate: keep the k strongest islands
                       while the expected noise peaks above the k-th S/N ≤ Q·k
                       (noise correlated like the beam; 0 = off: every seed counts)  [0.01]
                       Before it, components with integrated flux S/N below the option
                       minFluxSnr [4] are dropped ('{"minFluxSnr":0}' keeps them)
  --options JSON       any other finder option, e.g. '{"bkgBoxBeams":30,"maxComponents":3}';
                       '{"extendedScalesBeams":[2,4,8]}' adds the extended-emission search
                       (after the tiled compact run; it reads the whole plane into memory)
  --beam-arcsec B      beam FWHM (BMAJ[,BMIN[,BPA]]) when the header has none
  --threads N          worker threads (0 = this thread)             [${DEFAULT_THREADS}]
  --tile N             tile side in pixels (parts: same in every part)  [1024]
  --quiet              no progress on stderr
  -h, --help           this text
`;

class UsageError extends Error {}

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
    ...(values['merge-sigma'] !== undefined ? { mergeSigma: numberArg(values['merge-sigma'] as string, 'merge-sigma') } : {}),
    ...(values['min-pixels'] !== undefined ? { minPixels: numberArg(values['min-pixels'] as string, 'min-pixels') } : {}),
    ...(values.fdr !== undefined ? { falseDetectionRate: numberArg(values.fdr as string, 'fdr') } : {}),
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

const CATALOGUE_FORMATS = ['json', 'csv', 'votable'];

/**
 * The catalogue in `format` (the exporters' files, which `cirasa convert` and the app read back), and
 * DS9 regions if asked. JSON is written straight from the result (same bytes, a fraction of the time).
 */
async function writeCatalogue(result: FinderResult & Pick<TiledFinderResult, 'islandJson'>, info: CatalogueInfo, format: string, out: string, regions?: string): Promise<void> {
  if (format === 'json' && !regions) {
    // the islands' texts built during the run, joined (same bytes); else from the objects
    if (result.islandJson) {
      // the islands came without contours: the objects cannot be written instead
      if (!(await writeCatalogueJsonFromIslands(result, info, result.islandJson, out))) throw new AppError('internal', `${out}: an island's catalogue text is missing`);
      return;
    }
    return writeCatalogueJson(result, info, out);
  }
  const catalogue = toCatalogue(result, info);
  await exportCatalogue(catalogue, format, out);
  if (regions) await exportCatalogue(catalogue, 'ds9', regions);
}

async function prepareImage(path: string, hdu: number | undefined, plane: number[] | undefined, beamGiven: Beam | undefined): Promise<PreparedImage> {
  const image = await openFitsImage(path, { ...(hdu !== undefined ? { hdu } : {}), ...(plane ? { plane } : {}) });
  let wcs: Wcs | undefined;
  let beam: Beam | null;
  try {
    try {
      wcs = parseWcs(image.header.values, path);
    } catch {
      wcs = undefined;
    }
    beam = beamGiven ?? image.beam;
  } finally {
    await image.close();
  }
  if (!beam) throw new AppError('validation', `${path}: no restoring beam in the header (BMAJ/BMIN); give --beam-arcsec`, { file: path });
  if (!wcs) throw new AppError('wcs.noCelestialAxes', `${path}: no celestial WCS: cannot express the beam in pixels`, { file: path });
  const beamPx = beamToPixels(beam, wcs, { x: (image.width - 1) / 2, y: (image.height - 1) / 2 });
  return { path, ...(hdu !== undefined ? { hdu } : {}), ...(plane ? { plane } : {}), width: image.width, height: image.height, header: image.header.values, wcs, beam, beamPx };
}

export const findCommand: CliCommand = {
  summary: 'find sources in a FITS image with the built-in finder (catalogue as JSON, CSV or VOTable; distributed parts + merge)',
  async run(argv: string[], io: CliIo): Promise<number> {
    const parsed = parseFlags('find', HELP, io, argv, {
      out: { type: 'string' },
      format: { type: 'string', default: 'json' },
      hdu: { type: 'string' },
      plane: { type: 'string' },
      seed: { type: 'string' },
      'merge-sigma': { type: 'string' },
      'min-pixels': { type: 'string' },
      fdr: { type: 'string' },
      options: { type: 'string' },
      'beam-arcsec': { type: 'string' },
      threads: { type: 'string' },
      tile: { type: 'string' },
      part: { type: 'string' },
      merge: { type: 'boolean', default: false },
      background: { type: 'string' },
      'background-out': { type: 'string' },
      regions: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    });
    if (!parsed) return EXIT_USAGE;
    const values: Record<string, string | boolean | undefined> = parsed.values;
    const positionals = parsed.positionals;
    if (values.help) {
      io.stdout.write(HELP);
      return 0;
    }
    try {
      const format = String(values.format);
      if (!CATALOGUE_FORMATS.includes(format)) throw new UsageError(`--format: one of ${CATALOGUE_FORMATS.join(', ')}, got '${format}'`);
      const regions = typeof values.regions === 'string' ? values.regions : undefined;
      const say = (line: string): void => {
        if (!values.quiet) io.stderr.write(`\r${line}\n`);
      };
      const started = performance.now();
      const seconds = (): string => `${((performance.now() - started) / 1000).toFixed(1)} s`;
      if (values.merge) {
        if (positionals.length === 0) throw new UsageError('--merge expects the part files');
        if (typeof values.out !== 'string') throw new UsageError('--out is required');
        if (values.part !== undefined || values.background !== undefined || values['background-out'] !== undefined) throw new UsageError('--merge takes no --part/--background/--background-out');
        const { result, first, wcs } = await mergePartFiles(positionals);
        const parameters = { ...first.settings.options, threads: first.threads, tileSize: first.settings.tileSize };
        await writeCatalogue(result, { name: basename(values.out), imagePath: first.image.path, wcs, beam: first.beam, parameters }, format, values.out, regions);
        const control = describeControl(result.falseDetections, first.settings.options.seedSigma);
        if (control) say(control);
        say(`${result.islands.length} sources, ${result.components.length} components from ${positionals.length} parts, ${seconds()} -> ${values.out}`);
        return 0;
      }
      if (positionals.length !== 1) throw new UsageError('expects exactly one IMAGE');
      const bgOut = typeof values['background-out'] === 'string' ? values['background-out'] : undefined;
      if (typeof values.out !== 'string' && !bgOut) throw new UsageError('--out is required');
      const part = typeof values.part === 'string' ? parsePartArg(values.part) : undefined;
      if (typeof values.part === 'string' && !part) throw new UsageError(`--part expects K/N (e.g. 0/4), got '${values.part}'`);
      if (part && !(part.count >= 1 && part.index < part.count)) throw new UsageError(`--part ${values.part}: K must be 0…N-1 (0-based) and N ≥ 1`);
      const opts = finderOptionsFrom(values);
      const hdu = numberArg(values.hdu as string | undefined, 'hdu');
      const plane = typeof values.plane === 'string' ? values.plane.split(',').map((s) => numberArg(s, 'plane')!) : undefined;
      const threads = numberArg(values.threads as string | undefined, 'threads') ?? DEFAULT_THREADS;
      const tileSize = numberArg(values.tile as string | undefined, 'tile') ?? 1024;
      // optimising compiles run on the thread that asks for them, not on V8's background threads: the
      // workers (one per core) and their JIT warm-up otherwise compete for the same cores
      // (crowded 7200² map, 3 alternating runs: 5.46–5.73 → 5.12–5.22 s). Set before the workers start.
      if (threads > 0) setFlagsFromString('--no-concurrent-recompilation');
      const img = await prepareImage(positionals[0], hdu, plane, typeof values['beam-arcsec'] === 'string' ? beamArg(values['beam-arcsec']) : undefined);
      const extended = opts.extendedScalesBeams.length > 0;
      if (extended && (part || bgOut || values.background !== undefined)) throw new UsageError('the extended search (extendedScalesBeams) is not tiled yet: no --part/--background');
      const stage: StageRun = {
        threads,
        tileSize,
        ...(typeof values.background === 'string' ? { background: values.background } : {}),
        onProgress: values.quiet ? undefined : ({ phase, done, total }) => io.stderr.write(`\r${phase} ${done}/${total}   `),
      };
      if (bgOut) {
        say(`${await writeBackgroundStage(img, opts, stage, bgOut)}, ${seconds()}`);
        if (typeof values.out !== 'string') return 0;
        stage.background = bgOut;
      }
      const out = values.out as string;
      if (part) {
        say(`${await writePartStage(img, opts, part, stage, out)}, ${seconds()}`);
        return 0;
      }
      const spec = { kind: 'fits' as const, path: img.path, ...(hdu !== undefined ? { hdu } : {}), ...(plane ? { plane } : {}) };
      // compact sources tiled; the extended search (if asked) then runs over the whole plane in memory
      // plain JSON on workers: each island's text is built while the workers run, as its tile's result
      // comes (islandJson.ts); in one thread that gains nothing (and costs ~0.3 s on the crowded map)
      const jsonInTasks = format === 'json' && !regions && !extended && threads > 0;
      const runOptions = { ...(await stageRunOptions(img, opts, stage)), ...(jsonInTasks ? { catalogueJson: { wcs: img.wcs, beam: img.beam } } : {}) };
      const result = await runFinderTiledWithExtended(spec, img.beamPx, opts, runOptions);
      await writeCatalogue(result, { name: basename(out), imagePath: img.path, wcs: img.wcs, beam: img.beam, parameters: { ...opts, threads, tileSize } }, format, out, regions);
      const control = describeControl(result.falseDetections, opts.seedSigma);
      if (control) say(control);
      say(`${result.islands.length} sources, ${result.components.length} components, median rms ${result.medianRms.toExponential(3)} Jy/beam, ${seconds()} -> ${out}`);
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
