// Counts local maxima (3×3) above k·rms in a simulated map: what an ideal k-σ peak detector must report on
// a noise-only map. Beam-correlated Gaussian noise has real 5σ peaks — about 4 in a 4000² map with a
// 3.75 px beam (Euler-characteristic density λ₂·u·e^{−u²/2}/(2π)^{3/2}, λ₂ = 1/(2σ_beam²)) — so "zero
// detections" is only meaningful next to this count.
import { openSync, readSync, closeSync } from 'node:fs';

/** Reads a float32 primary-HDU image as written by `cirasa simulate` (BITPIX −32, no scaling). */
export function readSimpleFloat32Fits(path) {
  const fd = openSync(path, 'r');
  try {
    const cards = {};
    let offset = 0;
    for (let done = false; !done; offset += 2880) {
      const block = Buffer.alloc(2880);
      if (readSync(fd, block, 0, 2880, offset) !== 2880) throw new Error(`${path}: header ends without END (byte ${offset})`);
      for (let i = 0; i < 36; i++) {
        const card = block.toString('latin1', i * 80, i * 80 + 80);
        const key = card.slice(0, 8).trim();
        if (key === 'END') done = true;
        else if (card[8] === '=') cards[key] = card.slice(10).split('/')[0].trim();
      }
    }
    if (Number(cards.BITPIX) !== -32) throw new Error(`${path}: BITPIX ${cards.BITPIX}, expected -32`);
    const w = Number(cards.NAXIS1);
    const h = Number(cards.NAXIS2);
    const buf = Buffer.alloc(w * h * 4);
    readSync(fd, buf, 0, buf.length, offset);
    const data = new Float32Array(w * h);
    for (let i = 0; i < data.length; i++) data[i] = buf.readFloatBE(i * 4);
    return { width: w, height: h, data };
  } finally {
    closeSync(fd);
  }
}

/** Number of pixels ≥ their 8 neighbours and above `threshold` (edge pixels excluded). */
export function countPeaksAbove({ width, height, data }, threshold) {
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const v = data[y * width + x];
      if (!(v > threshold)) continue;
      let isMax = true;
      for (let dy = -1; dy <= 1 && isMax; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          if ((dx || dy) && data[(y + dy) * width + x + dx] > v) {
            isMax = false;
            break;
          }
        }
      }
      if (isMax) n++;
    }
  }
  return n;
}
