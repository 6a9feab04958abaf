#!/usr/bin/env node
// `cirasa` command: runs the built CLI (dist/ is built by `npm install` through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../dist/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('cirasa: the command is not built yet. Run `npm run build` in the cirasa-desktop folder.\n');
  process.exit(1);
}
const { main } = await import(pathToFileURL(cli).href);
await main();
