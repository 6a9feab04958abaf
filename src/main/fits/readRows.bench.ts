/**
 * Throughput of the streaming writer and of readRows on a 16384² float32 image (1 GB) in the temp dir.
 * Not a test: run with `npx tsx src/main/fits/readRows.bench.ts [side] [bitpix]`. The file is deleted afterwards.
 * The read pass runs twice: the first after writing (page cache likely warm), the second identical,
 * so the figures are decode + copy cost, not disk speed.
 */
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFitsImage } from './image';
import { writeFitsImage } from './writer';

const side = Number(process.argv[2] ?? 16384);
const bitpix = Number(process.argv[3] ?? -32) as -32 | 16;
const blockRows = 64;
const path = join(tmpdir(), `fits-bench-${process.pid}.fits`);

async function* rows(): AsyncGenerator<Float32Array> {
  const block = new Float32Array(side * blockRows);
  for (let y = 0; y < side; y += blockRows) {
    for (let i = 0; i < block.length; i++) block[i] = ((y * side + i) % 1000) * 0.001;
    if (y === 0) block[3] = NaN;
    yield block;
  }
}

async function main(): Promise<void> {
  const gb = (side * side * Math.abs(bitpix)) / 8 / 1e9;
  try {
    let t = performance.now();
    await writeFitsImage(path, { width: side, height: side, bitpix, data: rows() });
    console.log(`write ${gb.toFixed(2)} GB (bitpix ${bitpix}): ${((gb / (performance.now() - t)) * 1000).toFixed(2)} GB/s`);
    const image = await openFitsImage(path);
    const out = new Float32Array(side * blockRows);
    for (const pass of [1, 2]) {
      t = performance.now();
      let nan = 0;
      for (let y = 0; y < side; y += blockRows) {
        await image.readRows(y, Math.min(blockRows, side - y), out);
        if (y === 0) nan += Number.isNaN(out[3]) ? 1 : 0;
      }
      const s = (performance.now() - t) / 1000;
      console.log(`readRows pass ${pass}, ${blockRows}-row blocks: ${(gb / s).toFixed(2)} GB/s of file (${s.toFixed(2)} s), NaN kept: ${nan === 1}`);
    }
    await image.close();
  } finally {
    await rm(path, { force: true });
  }
}

await main();
