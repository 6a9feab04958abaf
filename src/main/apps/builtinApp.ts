/** Our own finder through `cirasa find` (the same command a user runs), on any backend. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { AppError } from '../../shared/contract/errors';
import type { JobProgress } from '../../shared/contract/jobs';
import type { Catalogue } from '../../shared/domain/source';
import { readCatalogue } from '../catalogue';
import { FinderOptionsSchema } from '../finder/types';
import { ARRAY_TASK_ID } from '../jobs/script';
import { requireOutput } from './outputFiles';
import type { FinderApp, OptionSchema, OptionsSchema } from './types';

/** Help for the options a user tunes most (FinderOptionsSchema documents them in TSDoc, not in zod). */
const HELP: Record<string, string> = {
  seedSigma: 'seed threshold: an island needs a pixel this many sigma above the background',
  mergeSigma: 'merge (flood) threshold in sigma: islands grow over pixels above it',
  minPixels: 'islands with fewer pixels are dropped',
  bkgBoxBeams: 'background/noise box side, in beam FWHM',
  bkgGridBeams: 'step between background grid nodes, in beam FWHM',
  maxComponents: 'most Gaussian components fitted per island',
  rmsEstimator: 'noise estimator: median absolute deviation or biweight',
  extendedScalesBeams: 'scales (beam FWHM) of the extended-emission search; empty = off',
  falseDetectionRate: 'image-wide false-detection rate (Benjamini–Hochberg on the expected noise peaks); 0 = off',
  minFluxSnr: 'components whose integrated flux is below this many times its error are dropped; 0 = off',
};

function builtinSchema(): OptionsSchema {
  const json = z.toJSONSchema(FinderOptionsSchema, { io: 'input' }) as { properties: Record<string, OptionSchema & { maximum?: number }> };
  const properties: Record<string, OptionSchema> = {};
  for (const [name, s] of Object.entries(json.properties)) {
    const { maximum, ...rest } = s;
    // zod writes MAX_SAFE_INTEGER as the maximum of every int: not a range worth showing
    properties[name] = { ...rest, ...(maximum !== undefined && maximum < Number.MAX_SAFE_INTEGER ? { maximum } : {}), ...(HELP[name] ? { description: HELP[name] } : {}) };
  }
  return { type: 'object', properties, additionalProperties: false };
}

/** argv prefix that runs this installation's `cirasa` (bin/cirasa.js beside the package.json). */
export function defaultCirasaCommand(): string[] {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'bin', 'cirasa.js')) && existsSync(join(dir, 'package.json'))) return [process.execPath, join(dir, 'bin', 'cirasa.js')];
    const up = dirname(dir);
    if (up === dir) throw new AppError('internal', `Cannot find bin/cirasa.js above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

const CATALOGUE = 'catalogue.json';
const BACKGROUND = 'background.json';

/** The last `PHASE DONE/TOTAL` progress line `cirasa find` wrote to stderr (lines are \r-separated). */
export function parseFindProgress(stderr: string): JobProgress | undefined {
  const segments = stderr.slice(-4096).split(/[\r\n]/);
  for (let i = segments.length - 1; i >= 0; i--) {
    const m = /^([A-Za-z][A-Za-z -]*?) (\d+)\/(\d+)$/.exec(segments[i]!.trim());
    if (!m) continue;
    const done = Number(m[2]);
    const total = Number(m[3]);
    return { text: `${m[1]} ${done}/${total}`, ...(total > 0 ? { fraction: Math.min(1, done / total) } : {}) };
  }
  return undefined;
}

export const builtinApp: FinderApp = {
  id: 'builtin',
  title: 'CIRASA built-in finder',
  optionsSchema: builtinSchema(),
  buildCommand(options, ctx) {
    if (ctx.inputs.length !== 1) throw new AppError('validation', `builtin: expects exactly one input image, got ${ctx.inputs.length}`);
    const out = ctx.outDir === '.' ? CATALOGUE : `${ctx.outDir}/${CATALOGUE}`;
    return {
      // no --quiet: its progress lines on stderr are what parseProgress reads
      argv: [...(ctx.cirasaCommand ?? defaultCirasaCommand()), 'find', ctx.inputs[0], '--out', out, '--threads', String(Math.max(1, ctx.threads)),
        '--options', JSON.stringify(options)],
      outputs: [out],
    };
  },
  parseProgress: parseFindProgress,
  buildDistributed(options, ctx, parts) {
    if (ctx.inputs.length !== 1) throw new AppError('validation', `builtin: expects exactly one input image, got ${ctx.inputs.length}`);
    if (Array.isArray(options.extendedScalesBeams) && options.extendedScalesBeams.length > 0) {
      throw new AppError('validation', 'builtin: the extended-emission search (extendedScalesBeams) runs on the whole image only: no distributed run');
    }
    const at = (name: string) => (ctx.outDir === '.' ? name : `${ctx.outDir}/${name}`);
    const cirasa = ctx.cirasaCommand ?? defaultCirasaCommand();
    const threads = ['--threads', String(Math.max(1, ctx.threads))];
    const opts = ['--options', JSON.stringify(options)];
    const partFiles = Array.from({ length: parts }, (_, k) => at(`part-${k}.json`));
    return {
      // the background map once (streamed), instead of once per part
      prepare: { argv: [...cirasa, 'find', ctx.inputs[0]!, '--background-out', at(BACKGROUND), ...threads, '--quiet', ...opts], outputs: [at(BACKGROUND)] },
      // `cirasa find --part K/N` finds the sources of part K of N tiles; `--merge` is the finder's own tile merge
      part: {
        argv: [...cirasa, 'find', ctx.inputs[0]!, '--part', `${ARRAY_TASK_ID}/${parts}`, '--background', at(BACKGROUND), '--out', at(`part-${ARRAY_TASK_ID}.json`),
          ...threads, '--quiet', ...opts],
        outputs: partFiles,
      },
      merge: { argv: [...cirasa, 'find', '--merge', ...partFiles, '--out', at(CATALOGUE), '--quiet'], outputs: [at(CATALOGUE)] },
    };
  },
  async readOutputs(outDir, _options, ctx) {
    const path = await requireOutput('builtin', outDir, CATALOGUE);
    let doc: unknown;
    try {
      doc = JSON.parse(await readFile(path, 'utf8'));
    } catch (err) {
      throw new AppError('catalogue.parseFailed', `${path}: not JSON (${(err as Error).message})`, { file: path });
    }
    // `cirasa find` writes the bare Catalogue; the exporter's wrapped form ({cirasaCatalogue: 1, ...}) is read too
    if (doc && typeof doc === 'object' && 'cirasaCatalogue' in doc) return readCatalogue(path, { format: 'json' });
    const cat = doc as Partial<Catalogue>;
    if (!Array.isArray(cat.sources) || typeof cat.finder !== 'string' || typeof cat.frame !== 'string') {
      throw new AppError('catalogue.parseFailed', `${path}: not a CIRASA catalogue (no sources/finder/frame)`, { file: path });
    }
    return { ...(cat as Catalogue), ...(ctx.name ? { name: ctx.name } : {}) };
  },
};
