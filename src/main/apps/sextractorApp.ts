/**
 * SExtractor (Debian `source-extractor` 2.25) on a restored radio map. The configuration is written into the
 * job directory from the options, starting from scripts/sextractor/radio.sex (see its README for why each
 * default: 5σ peak, DETECT_MINAREA 1, no filter on a beam-convolved map, background box ~17 beams).
 */
import { AppError } from '../../shared/contract/errors';
import { readCatalogue } from '../catalogue';
import { requireOutput } from './outputFiles';
import type { FinderApp, OptionsSchema, OptionValues } from './types';

/** Columns the sextractor-ascii reader maps (positions, fluxes, shape, flags). */
export const SEXTRACTOR_PARAMS = ['NUMBER', 'X_IMAGE', 'Y_IMAGE', 'ALPHA_J2000', 'DELTA_J2000', 'FLUX_AUTO', 'FLUXERR_AUTO', 'FLUX_ISO',
  'FLUX_MAX', 'BACKGROUND', 'A_IMAGE', 'B_IMAGE', 'THETA_IMAGE', 'ISOAREA_IMAGE', 'FLAGS'];

const CATALOGUE = 'sextractor.cat';

const schema: OptionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    detectThresh: { type: 'number', default: 5, exclusiveMinimum: 0, maximum: 1000, description: 'DETECT_THRESH: detection threshold in sigma' },
    analysisThresh: { type: 'number', default: 5, exclusiveMinimum: 0, maximum: 1000, description: 'ANALYSIS_THRESH: isophote for measurements, in sigma' },
    detectMinArea: { type: 'integer', default: 1, minimum: 1, maximum: 100000, description: 'DETECT_MINAREA: pixels above threshold for a detection' },
    deblendNThresh: { type: 'integer', default: 32, minimum: 1, maximum: 64, description: 'DEBLEND_NTHRESH: deblending sub-thresholds' },
    deblendMinCont: { type: 'number', default: 0.005, minimum: 0, maximum: 1, description: 'DEBLEND_MINCONT: minimum contrast of a deblended component' },
    clean: { type: 'boolean', default: true, description: 'CLEAN: remove spurious detections near bright ones' },
    backSize: { type: 'integer', default: 64, minimum: 1, maximum: 100000, description: 'BACK_SIZE in pixels (~17 beam FWHM)' },
    backFilterSize: { type: 'integer', default: 3, minimum: 1, maximum: 11, description: 'BACK_FILTERSIZE: median filter of the background mesh' },
    filter: { type: 'boolean', default: false, description: 'FILTER: convolve with a Gaussian before detection (off for beam-convolved maps)' },
    filterFwhmPx: { type: 'number', default: 3.75, exclusiveMinimum: 0, maximum: 100, description: 'FWHM in pixels of the detection filter (the beam)' },
  },
};

function gaussConv(fwhmPx: number): string {
  const sigma = fwhmPx / (2 * Math.sqrt(2 * Math.LN2));
  const half = Math.max(1, Math.ceil(fwhmPx));
  const rows: string[] = [];
  for (let y = -half; y <= half; y++) {
    const row: string[] = [];
    for (let x = -half; x <= half; x++) row.push(Math.exp(-(x * x + y * y) / (2 * sigma * sigma)).toFixed(6));
    rows.push(row.join(' '));
  }
  return `CONV NORM\n# Gaussian, FWHM ${fwhmPx} px\n${rows.join('\n')}\n`;
}

/** The .sex configuration for resolved options (paths relative to the job directory). */
export function sextractorConfig(o: OptionValues, threads: number): string {
  const yn = (b: unknown) => (b ? 'Y' : 'N');
  return [
    `CATALOG_NAME ${CATALOGUE}`, 'CATALOG_TYPE ASCII_HEAD', 'PARAMETERS_NAME cirasa.param',
    'DETECT_TYPE CCD', `DETECT_MINAREA ${o.detectMinArea}`, 'THRESH_TYPE RELATIVE',
    `DETECT_THRESH ${o.detectThresh}`, `ANALYSIS_THRESH ${o.analysisThresh}`,
    `FILTER ${yn(o.filter)}`, 'FILTER_NAME cirasa.conv',
    `DEBLEND_NTHRESH ${o.deblendNThresh}`, `DEBLEND_MINCONT ${o.deblendMinCont}`, `CLEAN ${yn(o.clean)}`, 'CLEAN_PARAM 1.0',
    'PHOT_AUTOPARAMS 2.5, 3.5', 'SATUR_LEVEL 1e20', 'GAIN 0.0', 'MAG_ZEROPOINT 0.0',
    'BACK_TYPE AUTO', `BACK_SIZE ${o.backSize}`, `BACK_FILTERSIZE ${o.backFilterSize}`, 'BACKPHOTO_TYPE GLOBAL',
    'MEMORY_OBJSTACK 30000', 'MEMORY_PIXSTACK 3000000', 'MEMORY_BUFSIZE 1024',
    `NTHREADS ${Math.max(1, threads)}`, 'VERBOSE_TYPE QUIET', '',
  ].join('\n');
}

export const sextractorApp: FinderApp = {
  id: 'sextractor',
  title: 'SExtractor (source-extractor)',
  optionsSchema: schema,
  buildCommand(options, ctx) {
    if (ctx.inputs.length !== 1) throw new AppError('validation', `sextractor: expects exactly one input image, got ${ctx.inputs.length}`);
    if (ctx.outDir !== '.') throw new AppError('validation', 'sextractor: writes into the job directory (outDir must be ".")');
    return {
      argv: ['source-extractor', ctx.inputs[0], '-c', 'cirasa.sex'],
      files: [
        { name: 'cirasa.sex', content: sextractorConfig(options, ctx.threads) },
        { name: 'cirasa.param', content: `${SEXTRACTOR_PARAMS.join('\n')}\n` },
        { name: 'cirasa.conv', content: gaussConv(options.filterFwhmPx as number) },
      ],
      outputs: [CATALOGUE],
    };
  },
  async readOutputs(outDir, _options, ctx) {
    const path = await requireOutput('sextractor', outDir, CATALOGUE);
    return readCatalogue(path, { format: 'sextractor-ascii', ...(ctx.image ? { image: ctx.image } : {}), ...(ctx.name ? { name: ctx.name } : {}) });
  },
};
