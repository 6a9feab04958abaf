// Colour pipeline speed in headless Chromium (the renderer's real engine): bundles bench/colourBench.ts
// with esbuild and runs it in a page. Run: node bench/colourBrowser.mjs  (needs /usr/bin/chromium).
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('./colourBench.ts', import.meta.url));
const bundle = await build({
  stdin: {
    contents: `import { runColourBench } from ${JSON.stringify(entry)}; window.runColourBench = runColourBench;`,
    resolveDir: fileURLToPath(new URL('.', import.meta.url)),
    loader: 'ts',
  },
  bundle: true,
  format: 'iife',
  write: false,
  platform: 'browser',
});
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  await page.addScriptTag({ content: bundle.outputFiles[0].text });
  console.log(`chromium ${browser.version()}`);
  const lines = await page.evaluate(() => {
    const out = [];
    window.runColourBench((l) => out.push(l), [undefined]);
    return out;
  });
  for (const l of lines) console.log(l);
} finally {
  await browser.close();
}
