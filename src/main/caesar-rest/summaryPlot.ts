/**
 * The `/preview` and `/output-plot` summary plot (api §3.11): the input image, zscale-stretched and decimated to
 * at most `maxSize` px, with the catalogue's sources circled in red — CAESAR's `plot_<base>.png` in spirit. PNG
 * encoded here (RGB, deflate) so the service needs no image library.
 */
import { crc32, deflateSync } from 'node:zlib';
import type { Catalogue } from '../../shared/domain/source';
import { openFitsImage, type FitsImage } from '../fits';
import { zscaleLimits } from '../tiles/zscale';

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td) >>> 0);
  return Buffer.concat([len, td, crc]);
}

/** An 8-bit RGB PNG of `rgb` (rows top first). */
export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0;
    raw.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), y * (width * 3 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** Render the plot of `imagePath` with `cat`'s sources; answers PNG bytes. */
export async function summaryPlot(imagePath: string, cat: Catalogue | undefined, maxSize = 800): Promise<Buffer> {
  const img = await openFitsImage(imagePath);
  try {
    return await render(img, cat, maxSize);
  } finally {
    await img.close();
  }
}

async function render(img: FitsImage, cat: Catalogue | undefined, maxSize: number): Promise<Buffer> {
  const step = Math.max(1, Math.ceil(Math.max(img.width, img.height) / maxSize));
  const w = Math.ceil(img.width / step);
  const h = Math.ceil(img.height / step);
  const values = new Float32Array(w * h);
  for (let j = 0; j < h; j++) {
    const row = await img.readRows(j * step, 1);
    for (let i = 0; i < w; i++) values[j * w + i] = row[i * step]!;
  }
  const sample = values.length > 100_000 ? values.filter((_, k) => k % Math.ceil(values.length / 100_000) === 0) : values;
  const { z1, z2 } = zscaleLimits(sample);
  const span = z2 > z1 ? z2 - z1 : 1;
  const rgb = new Uint8Array(w * h * 3);
  for (let j = 0; j < h; j++) {
    // FITS rows go bottom-up; PNG rows top-down
    const out = (h - 1 - j) * w;
    for (let i = 0; i < w; i++) {
      const v = values[j * w + i]!;
      const g = Number.isFinite(v) ? Math.round(255 * Math.min(1, Math.max(0, (v - z1) / span))) : 0;
      rgb.set([g, g, g], (out + i) * 3);
    }
  }
  for (const s of cat?.sources ?? []) {
    const r = Math.max(3, (s.bmajPx ?? 6) / step);
    const cx = s.x / step;
    const cy = h - 1 - s.y / step;
    const n = Math.ceil(2 * Math.PI * r) + 8;
    for (let k = 0; k < n; k++) {
      const x = Math.round(cx + r * Math.cos((2 * Math.PI * k) / n));
      const y = Math.round(cy + r * Math.sin((2 * Math.PI * k) / n));
      if (x >= 0 && x < w && y >= 0 && y < h) rgb.set([255, 0, 0], (y * w + x) * 3);
    }
  }
  return encodePng(w, h, rgb);
}
