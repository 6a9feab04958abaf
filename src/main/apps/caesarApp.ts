/**
 * CAESAR (SKA-INAF/caesar) through its `SFinderSubmitter.sh`, as caesar-rest runs it (caesar-rest-api.md §3.7):
 * `--run --save-summaryplot --save-regions --save-catalog-to-json`, the options as `--name` / `--name=value`,
 * then `--inputfile=`. The options are the important ones of Appendix A / §5.1 with their upstream defaults and
 * ranges. Outputs per §7.1: `catalog-<base>.json` (islands) and, with `fitsources`, `catalog_fitcomp-<base>.json`.
 * CAESAR is not installable here (ROOT is not in Debian): command building and output reading are tested on
 * fixtures only; it runs from its container image.
 */
import { basename, extname } from 'node:path';
import { AppError } from '../../shared/contract/errors';
import { readCatalogue } from '../catalogue';
import { requireOutput } from './outputFiles';
import type { FinderApp, OptionSchema, OptionsSchema } from './types';

const flag = (description: string): OptionSchema => ({ type: 'boolean', default: false, description });
const num = (d: number, min: number, max: number, description: string, type: 'number' | 'integer' = 'number'): OptionSchema => ({
  type, default: d, minimum: min, maximum: max, description,
});
const choice = (d: string, values: string[], description: string): OptionSchema => ({ type: 'string', default: d, enum: values, description });

/** Appendix A names; script-level defaults (§5.1): MPI on unless no-mpi, extended search on, fitting off. */
export const CAESAR_OPTIONS: Record<string, OptionSchema> = {
  'no-mpi': { ...flag('run without mpirun (a single host)'), default: true },
  nproc: num(1, 1, 1000, 'MPI processes', 'integer'),
  nthreads: num(1, -1, 1000, 'OpenMP threads (-1 = all); capped by the job\'s thread limit', 'integer'),
  'save-fits': flag('maps as FITS files instead of inside the ROOT file'),
  'save-bkgmap': flag('save the background map'),
  'save-rmsmap': flag('save the noise map'),
  'save-residualmap': flag('save the residual map'),
  regionwcs: choice('J2000', ['J2000', 'B1950', 'GALACTIC'], 'sky frame of WCS outputs (regions and catalogue sky columns)'),
  bmaj: num(10, 0, 3600, 'beam major axis (arcsec) if the header has none'),
  bmin: num(5, 0, 3600, 'beam minor axis (arcsec) if the header has none'),
  bpa: num(0, 0, 180, 'beam position angle (deg) if the header has none'),
  mappixsize: num(1, 0, 3600, 'pixel size (arcsec) if the header has none'),
  globalbkg: flag('global instead of local background'),
  bkgestimator: choice('Median', ['Mean', 'Median', 'BiWeight', 'ClippedMedian'], 'statistic for background and noise'),
  bkgbox: num(20, 0.01, 1000, 'local background box, in beams (pixels with bkgboxpix)'),
  bkgboxpix: flag('bkgbox in pixels'),
  bkggrid: num(0.2, 0, 1, 'background grid step, fraction of the box'),
  'no-compactsearch': flag('skip the compact-source search'),
  seedthr: num(5, 0, 10000, 'seed threshold (sigma above background)'),
  mergethr: num(2.6, 0, 10000, 'merge (growth) threshold (sigma)'),
  npixmin: num(5, 0, 10000, 'minimum island size (pixels)', 'integer'),
  compactsearchiters: num(1, 0, 100, 'iterations with decreasing seed threshold', 'integer'),
  seedthrstep: num(0.5, 0, 10, 'seed threshold step per iteration'),
  selectsources: flag('tag point-like / bad sources by cuts'),
  'no-nestedsearch': flag('skip the nested (child) source search'),
  blobmaskmethod: choice('MultiScaleLoG', ['GausLaplacian', 'MultiScaleLoG'], 'blob detector for nested sources'),
  'nested-sourcetobeamthr': num(5, 0, 1e6, 'search nested sources only in islands larger than this many beams'),
  fitsources: flag('fit Gaussian components (component catalogue)'),
  'fit-maxcomponents': num(3, 0, 100, 'most components per island', 'integer'),
  'fit-maxnbeams': num(20, 0, 1e5, 'fit only islands smaller than this many beams'),
  'fit-usethreads': flag('multithreaded fit'),
  'fit-chi2cut': num(5, 0, 1000, 'reduced chi2 quality cut'),
  'no-extendedsearch': { ...flag('skip the extended-source search'), default: false },
  extsfinder: choice('SALIENCY-THRESH', ['WT-THRESH', 'SP-HIERCLUST', 'ACTIVE-CONTOUR', 'SALIENCY-THRESH'], 'extended-source algorithm'),
  loglevel: choice('INFO', ['INFO', 'DEBUG', 'WARN', 'ERROR', 'OFF'], 'finder log level'),
  'no-logredir': { ...flag('do not redirect finder logs to a file (keep them in the job log)'), default: true },
};

const schema: OptionsSchema = { type: 'object', additionalProperties: false, properties: CAESAR_OPTIONS };

/** `<base>` of §7.1: the input file name without extension. */
export function caesarBase(input: string): string {
  const b = basename(input);
  return b.slice(0, b.length - extname(b).length);
}

export const caesarApp: FinderApp = {
  id: 'caesar',
  title: 'CAESAR',
  optionsSchema: schema,
  containerImage: 'sriggi/caesar-job:latest',
  buildCommand(options, ctx) {
    if (ctx.inputs.length !== 1) throw new AppError('validation', `caesar: expects exactly one input image, got ${ctx.inputs.length}`);
    if (ctx.outDir !== '.') throw new AppError('validation', 'caesar: writes into the job directory (outDir must be ".")');
    const argv = ['SFinderSubmitter.sh', '--run', '--save-summaryplot', '--save-regions', '--save-catalog-to-json'];
    for (const [name, value] of Object.entries(options)) {
      const s = CAESAR_OPTIONS[name];
      if (!s) continue;
      if (name === 'nthreads') {
        const n = value as number;
        argv.push(`--nthreads=${n < 0 || n > ctx.threads ? Math.max(1, ctx.threads) : n}`);
      } else if (s.type === 'boolean') {
        if (value === true) argv.push(`--${name}`);
      } else if (value !== s.default) argv.push(`--${name}=${String(value)}`);
    }
    argv.push(`--inputfile=${ctx.inputs[0]}`);
    const base = caesarBase(ctx.inputs[0]);
    return { argv, outputs: [options.fitsources ? `catalog_fitcomp-${base}.json` : `catalog-${base}.json`] };
  },
  async readOutputs(outDir, options, ctx) {
    const base = caesarBase(ctx.image ?? '');
    if (!base) throw new AppError('validation', 'caesar: reading outputs needs the input image name');
    const frame = options.regionwcs === 'GALACTIC' ? 'galactic' : options.regionwcs === 'B1950' ? 'fk4' : 'fk5';
    if (options.fitsources) {
      const path = await requireOutput('caesar', outDir, `catalog_fitcomp-${base}.json`);
      return readCatalogue(path, { format: 'caesar-components-json', frame, ...(ctx.name ? { name: ctx.name } : {}) });
    }
    // §7.1: no catalogue file at all when CAESAR found no sources
    const path = await requireOutput('caesar', outDir, `catalog-${base}.json`);
    return readCatalogue(path, { format: 'caesar-json', frame, ...(ctx.name ? { name: ctx.name } : {}) });
  },
};
