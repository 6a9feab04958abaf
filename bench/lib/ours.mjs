// Our finder as run by the user: `node dist/main/cli.js find IMAGE --out CAT.json --format json`.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { runMeasured } from './measure.mjs';

/** True when the built CLI lists a `find` command in its help. */
export function oursAvailable(cliJs) {
  const r = spawnSync(process.execPath, [cliJs, '--help'], { encoding: 'utf8' });
  return /^\s+find\s/m.test(`${r.stdout}\n${r.stderr}`);
}

const num = (...vals) => {
  for (const v of vals) if (typeof v === 'number' && Number.isFinite(v)) return v;
  return NaN;
};

/**
 * Reads our JSON catalogue into {id,x,y,flux} rows (Pixel0, Jy). The `find` JSON layout is not fixed yet,
 * so this accepts an array of rows or {sources|components|rows: [...]}, flattens a source's
 * `components`, and takes x/y (or xPix/yPix, pixel.{x,y}) and flux (or fluxJy, integratedFlux).
 */
export function readOursJson(path) {
  const doc = JSON.parse(readFileSync(path, 'utf8'));
  const top = Array.isArray(doc) ? doc : doc.components ?? doc.sources ?? doc.rows ?? doc.catalogue?.sources;
  if (!Array.isArray(top)) throw new Error(`${path}: no array of sources/components found (top-level keys: ${Object.keys(doc).join(', ')})`);
  const rows = top.flatMap((s) => (Array.isArray(s.components) && s.components.length ? s.components : [s]));
  return rows.map((r, i) => {
    const d = {
      id: num(r.id, r.componentId, i + 1),
      x: num(r.x, r.xPix, r.pixel?.x),
      y: num(r.y, r.yPix, r.pixel?.y),
      flux: num(r.flux, r.fluxJy, r.integratedFlux, r.intFlux),
    };
    if (!Number.isFinite(d.x) || !Number.isFinite(d.y)) throw new Error(`${path}: row ${i} has no pixel x/y (keys: ${Object.keys(r).join(', ')})`);
    return d;
  });
}

export async function runOurs({ cliJs, image, catPath }) {
  const args = [cliJs, 'find', image, '--out', catPath, '--format', 'json'];
  const r = await runMeasured(process.execPath, args);
  if (r.code !== 0) throw new Error(`cirasa find exited ${r.code}: ${r.stderr.slice(-2000)}`);
  return { detections: readOursJson(catPath), wallS: r.wallS, cpuS: r.cpuS, peakRssBytes: r.peakRssBytes, command: `node ${args.join(' ')}` };
}
