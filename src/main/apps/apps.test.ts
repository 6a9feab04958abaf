import { mkdtemp, rm, writeFile, copyFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCirasaInProcess } from '../../../test/helpers/cli';
import { REPO_ROOT } from '../../../test/helpers/paths';
import { AppError } from '../../shared/contract/errors';
import { AppRegistry, builtinApp, caesarApp, loadContainerApp, sextractorApp, validateOptions } from './index';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'apps-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function validationError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('validation');
    return err as AppError;
  }
  throw new Error('expected a validation error');
}

describe('validateOptions', () => {
  it('fills defaults, coerces CLI strings and reports every bad option by name', () => {
    const v = validateOptions('builtin', builtinApp.optionsSchema, { seedSigma: '4.5', extendedScalesBeams: '2,4' });
    expect(v.seedSigma).toBe(4.5);
    expect(v.mergeSigma).toBe(2.6);
    expect(v.extendedScalesBeams).toEqual([2, 4]);
    const e = validationError(() => validateOptions('builtin', builtinApp.optionsSchema, { seedSigma: -1, minPixels: 2.5, rmsEstimator: 'x', bogus: 1 }));
    expect(e.message).toContain('seedSigma: -1 must be greater than 0');
    expect(e.message).toContain('minPixels: expected an integer');
    expect(e.message).toContain("rmsEstimator: 'x' is not one of mad, biweight");
    expect(e.message).toContain('bogus: unknown option');
  });
  it('checks ranges of the CAESAR options (Appendix A)', () => {
    const e = validationError(() => validateOptions('caesar', caesarApp.optionsSchema, { bkggrid: 1.5 }));
    expect(e.message).toContain('bkggrid: 1.5 is above the maximum 1');
  });
});

describe('registry', () => {
  it('knows the builtin apps and refuses unknown ids and duplicates', () => {
    const r = new AppRegistry();
    expect(r.ids()).toEqual(['builtin', 'sextractor', 'caesar']);
    expect(validationError(() => r.get('aegean')).message).toContain('known: builtin, sextractor, caesar');
    validationError(() => r.register(builtinApp));
  });
});

describe('builtin app', () => {
  it('runs cirasa find with the thread limit and every option', () => {
    const opts = validateOptions('builtin', builtinApp.optionsSchema, { seedSigma: 6 });
    const c = builtinApp.buildCommand(opts, { inputs: ['img.fits'], outDir: '.', threads: 2, cirasaCommand: ['cirasa'] });
    expect(c.argv!.slice(0, 8)).toEqual(['cirasa', 'find', 'img.fits', '--out', 'catalogue.json', '--threads', '2', '--options']);
    expect(JSON.parse(c.argv![8]!)).toMatchObject({ seedSigma: 6, mergeSigma: 2.6 });
    expect(c.outputs).toEqual(['catalogue.json']);
  });
  it('reads progress from the stderr of a real cirasa find run', async () => {
    const img = join(dir, 'progress.fits');
    expect((await runCirasaInProcess(['simulate', '--size', '600', '--count', '10', '--out', img])).code).toBe(0);
    const r = await runCirasaInProcess(['find', img, '--out', join(dir, 'progress.json'), '--threads', '0']);
    expect(r.code).toBe(0);
    const cut = r.err.indexOf('detect');
    expect(cut).toBeGreaterThan(0);
    const early = builtinApp.parseProgress!(r.err.slice(0, r.err.indexOf('/', cut) + 2));
    expect(early).toMatchObject({ text: expect.stringMatching(/^detect \d+\/\d+$/) });
    expect(early!.fraction).toBeLessThan(1);
    expect(builtinApp.parseProgress!('')).toBeUndefined();
  });
  it('finds bin/cirasa.js of this checkout by default', () => {
    const c = builtinApp.buildCommand({}, { inputs: ['a.fits'], outDir: '.', threads: 1 });
    expect(c.argv![1]).toBe(join(REPO_ROOT, 'bin', 'cirasa.js'));
  });
  it('a missing catalogue is jobs.outputsMissing naming the file', async () => {
    await expect(builtinApp.readOutputs(dir, {}, {})).rejects.toMatchObject({ code: 'jobs.outputsMissing', message: expect.stringContaining(join(dir, 'catalogue.json')) });
  });
});

describe('sextractor app', () => {
  it('writes its config from the options and reads its ASCII_HEAD catalogue', async () => {
    const opts = validateOptions('sextractor', sextractorApp.optionsSchema, { detectThresh: 4, backSize: 32 });
    const c = sextractorApp.buildCommand(opts, { inputs: ['map.fits'], outDir: '.', threads: 3 });
    expect(c.argv).toEqual(['source-extractor', 'map.fits', '-c', 'cirasa.sex']);
    const sex = c.files!.find((f) => f.name === 'cirasa.sex')!.content;
    expect(sex).toMatch(/^DETECT_THRESH 4$/m);
    expect(sex).toMatch(/^BACK_SIZE 32$/m);
    expect(sex).toMatch(/^NTHREADS 3$/m);
    expect(sex).toMatch(/^FILTER N$/m);
    expect(c.files!.find((f) => f.name === 'cirasa.param')!.content.split('\n')).toContain('X_IMAGE');
    const out = join(dir, 'sex');
    await (await import('node:fs/promises')).mkdir(out);
    await copyFile(join(REPO_ROOT, 'test/fixtures/catalogue/sextractor/rot30.cat'), join(out, 'sextractor.cat'));
    const cat = await sextractorApp.readOutputs(out, opts, { image: join(REPO_ROOT, 'test/fixtures/catalogue/sextractor/rot30.fits') });
    expect(cat.sources.length).toBeGreaterThan(0);
    expect(cat.sources[0]!.ra).toBeTypeOf('number');
  });
});

describe('caesar app (fixtures only: CAESAR is not installable here)', () => {
  it('builds the SFinderSubmitter.sh command caesar-rest runs, non-default options only', () => {
    const opts = validateOptions('caesar', caesarApp.optionsSchema, { fitsources: true, seedthr: 4, nthreads: 8 });
    const c = caesarApp.buildCommand(opts, { inputs: ['field.fits'], outDir: '.', threads: 2 });
    expect(c.argv!.slice(0, 5)).toEqual(['SFinderSubmitter.sh', '--run', '--save-summaryplot', '--save-regions', '--save-catalog-to-json']);
    expect(c.argv).toContain('--no-mpi');
    expect(c.argv).toContain('--fitsources');
    expect(c.argv).toContain('--seedthr=4');
    expect(c.argv).toContain('--nthreads=2');
    expect(c.argv).not.toContain('--mergethr=2.6');
    expect(c.argv!.at(-1)).toBe('--inputfile=field.fits');
    expect(c.outputs).toEqual(['catalog_fitcomp-field.json']);
    expect(caesarApp.containerImage).toBeTruthy();
  });
  it('reads the island JSON, or the component JSON with fitsources (§7.1 names)', async () => {
    const out = join(dir, 'caesar');
    await (await import('node:fs/promises')).mkdir(out);
    const fx = join(REPO_ROOT, 'test/fixtures/catalogue/caesar');
    await expect(caesarApp.readOutputs(out, { fitsources: false }, { image: '/data/field.fits' })).rejects.toMatchObject({ code: 'jobs.outputsMissing' });
    await copyFile(join(fx, 'catalog-field.json'), join(out, 'catalog-field.json'));
    await copyFile(join(fx, 'catalog_fitcomp-field.json'), join(out, 'catalog_fitcomp-field.json'));
    const islands = await caesarApp.readOutputs(out, { fitsources: false }, { image: '/data/field.fits' });
    expect(islands.sources.length).toBe(4);
    expect(islands.finder).toBe('caesar');
    const comps = await caesarApp.readOutputs(out, { fitsources: true }, { image: '/data/field.fits' });
    expect(comps.sources.flatMap((s) => s.components ?? []).length).toBe(4);
  });
});

describe('container app from JSON', () => {
  it('substitutes placeholders and validates its own options', async () => {
    const path = join(dir, 'aegean.json');
    await writeFile(path, JSON.stringify({
      id: 'aegean', image: 'example/aegean:1', command: ['aegean', '{input}', '--table={outdir}/out.vot', '--seedclip={option:seed}', '{option:fit}', '--cores={threads}'],
      options: { seed: { type: 'number', default: 5, minimum: 0 }, fit: { type: 'boolean', default: false } }, outputs: ['out_comp.vot'], format: 'votable',
    }));
    const app = await loadContainerApp(path);
    expect(app.containerImage).toBe('example/aegean:1');
    const opts = validateOptions(app.id, app.optionsSchema, { seed: '4' });
    expect(app.buildCommand(opts, { inputs: ['m.fits'], outDir: '.', threads: 2 }).argv).toEqual(['aegean', 'm.fits', '--table=./out.vot', '--seedclip=4', '--cores=2']);
    validationError(() => validateOptions(app.id, app.optionsSchema, { seed: -1 }));
  });
  it('a bad description names the file and field', async () => {
    const path = join(dir, 'bad.json');
    await writeFile(path, JSON.stringify({ id: 'x', command: [], outputs: ['a'] }));
    await expect(loadContainerApp(path)).rejects.toMatchObject({ code: 'validation', message: expect.stringMatching(/bad\.json.*image/) });
    expect(await readFile(path, 'utf8')).toContain('"id"');
  });
});
