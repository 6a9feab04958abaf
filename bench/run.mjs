// `npm run bench`: every benchmark, one after the other, printing figures (benchmarks are not tests).
// Pass-through options: `npm run bench -- viewer --size 8192` runs only the viewer benchmark.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [only, ...rest] = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs')
  .map((f) => f.replace(/\.mjs$/, ''))
  .filter((name) => !only || only.startsWith('-') || name === only);
let failed = 0;
for (const name of benches) {
  console.log(`\n=== bench/${name} ===`);
  const r = spawnSync(process.execPath, [join(here, `${name}.mjs`), ...(only && !only.startsWith('-') ? rest : process.argv.slice(2))], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
