// Generates the bundled sample image resources/sample/sample.fits (+ sample.truth.csv) deterministically.
// Skips the work when the file exists and was made from the current recipe (see src/main/simulate/sample.ts).
// Usage: node scripts/makeSample.mjs [--force] [--out-dir DIR]
// The TypeScript module is bundled on the fly with esbuild, so this runs before or after the main build.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { force: { type: 'boolean', default: false }, 'out-dir': { type: 'string', default: join(root, 'resources/sample') } },
});
const started = Date.now();
const cacheDir = join(root, 'node_modules/.cache/cirasa-make-sample');
mkdirSync(cacheDir, { recursive: true });
const bundle = join(cacheDir, `sample-${process.pid}.mjs`);
await build({
  entryPoints: [join(root, 'src/main/simulate/sample.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
try {
  const { ensureSampleImage, isSampleUpToDate, SAMPLE_FITS } = await import(pathToFileURL(bundle).href);
  const dir = resolve(values['out-dir']);
  const fresh = !values.force && (await isSampleUpToDate(join(dir, SAMPLE_FITS)));
  const path = await ensureSampleImage(dir, { force: values.force });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`makeSample: ${path} ${fresh ? 'up to date' : `generated in ${secs} s`}`);
} finally {
  const { rm } = await import('node:fs/promises');
  await rm(bundle, { force: true });
}
