import { describe, expect, it } from 'vitest';
import { decodeOverlay, encodeOverlay, IndexedOverlay, labelCodeOf } from './overlayData';
import { expectedInView, screenEllipse } from './overlayRenderer';

function randomOverlay(n: number, seed = 1) {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const ids = new Int32Array(n).map((_, i) => 1000 + 3 * i);
  const x = new Float32Array(n).map(() => rnd() * 1000);
  const y = new Float32Array(n).map(() => rnd() * 800);
  const majorPx = new Float32Array(n).map(() => 1 + rnd() * 20);
  const minorPx = majorPx.map((m) => m * 0.5);
  const angleDeg = new Float32Array(n).map(() => rnd() * 180);
  const labelCode = new Uint8Array(n).map((_, i) => i % 4);
  const type = new Uint8Array(n).map((_, i) => i % 3);
  return { ids, x, y, majorPx, minorPx, angleDeg, labelCode, type };
}

describe('overlay binary', () => {
  it('decodes the contract layout written byte by byte (n = 5, padding after the uint8 columns)', () => {
    const n = 5;
    const buf = new ArrayBuffer(4 + 24 * n + 2 * 8);
    const dv = new DataView(buf);
    dv.setUint32(0, n, true);
    for (let i = 0; i < n; i++) {
      dv.setInt32(4 + 4 * i, 70 + i, true);
      dv.setFloat32(4 + 4 * n + 4 * i, 10.5 + i, true); // x
      dv.setFloat32(4 + 8 * n + 4 * i, 20.25 + i, true); // y
      dv.setFloat32(4 + 20 * n + 4 * i, 30 + i, true); // angle
      dv.setUint8(4 + 24 * n + i, i % 4);
      dv.setUint8(4 + 24 * n + 8 + i, 2);
    }
    const d = decodeOverlay(buf);
    expect(d.n).toBe(5);
    expect(Array.from(d.ids)).toEqual([70, 71, 72, 73, 74]);
    expect(d.x[4]).toBe(14.5);
    expect(d.y[1]).toBe(21.25);
    expect(d.angleDeg[2]).toBe(32);
    expect(Array.from(d.labelCode)).toEqual([0, 1, 2, 3, 0]);
    expect(Array.from(d.type)).toEqual([2, 2, 2, 2, 2]);
  });

  it('round-trips through encodeOverlay and rejects a truncated body', () => {
    const o = randomOverlay(37);
    const buf = encodeOverlay(o);
    const d = decodeOverlay(buf);
    expect(Array.from(d.x)).toEqual(Array.from(o.x));
    expect(Array.from(d.type)).toEqual(Array.from(o.type));
    expect(() => decodeOverlay(buf.slice(0, buf.byteLength - 9))).toThrow(/37 sources/);
    expect(decodeOverlay(encodeOverlay(randomOverlay(0))).n).toBe(0);
  });

  it('maps sourceness to codes', () => {
    expect([labelCodeOf('REAL'), labelCodeOf('FAKE'), labelCodeOf('CANDIDATE'), labelCodeOf(null), labelCodeOf('x')]).toEqual([1, 2, 3, 0, 0]);
  });
});

describe('IndexedOverlay', () => {
  const o = randomOverlay(5000, 7);
  const ov = new IndexedOverlay(decodeOverlay(encodeOverlay(o)));

  it('rectangle selection equals a brute-force scan of centres', () => {
    const got = ov.idsInRect(600, 500, 200, 100).sort((a, b) => a - b);
    const want: number[] = [];
    for (let i = 0; i < 5000; i++) if (o.x[i]! >= 200 && o.x[i]! <= 600 && o.y[i]! >= 100 && o.y[i]! <= 500) want.push(o.ids[i]!);
    expect(want.length).toBeGreaterThan(500);
    expect(got).toEqual(want);
  });

  it('nearest finds the closest centre within the radius, else null', () => {
    for (const [px, py] of [[10, 10], [500, 400], [999, 1]]) {
      let best = -1;
      let bestD = Infinity;
      for (let i = 0; i < 5000; i++) {
        const d = Math.hypot(o.x[i]! - px!, o.y[i]! - py!);
        if (d < bestD) [best, bestD] = [i, d];
      }
      expect(ov.nearest(px!, py!, bestD + 1e-3)).toBe(best);
      expect(ov.nearest(px!, py!, bestD * 0.99)).toBe(bestD > 0 ? null : best);
    }
    expect(ov.rowOf(1000 + 3 * 42)).toBe(42);
    expect(ov.rowOf(1001)).toBeUndefined();
  });

  it('polygon lasso equals a brute-force test of centres (a concave L shape)', () => {
    const L = [{ x: 100, y: 100 }, { x: 700, y: 100 }, { x: 700, y: 300 }, { x: 300, y: 300 }, { x: 300, y: 700 }, { x: 100, y: 700 }];
    const inL = (x: number, y: number) => (x > 100 && x < 700 && y > 100 && y < 300) || (x > 100 && x < 300 && y >= 300 && y < 700);
    const want: number[] = [];
    for (let i = 0; i < 5000; i++) if (inL(o.x[i]!, o.y[i]!)) want.push(o.ids[i]!);
    expect(want.length).toBeGreaterThan(300);
    expect(ov.idsInPolygon(L).sort((a, b) => a - b)).toEqual(want);
    expect(ov.idsInPolygon(L.slice(0, 2))).toEqual([]);
  });

  it('finds rows of unordered ids too', () => {
    const shuffled = { ...o, ids: o.ids.slice().reverse() };
    const u = new IndexedOverlay(decodeOverlay(encodeOverlay(shuffled)));
    expect(u.rowOf(shuffled.ids[10]!)).toBe(10);
    expect(u.rowOf(-5)).toBeUndefined();
  });

  it('orders rows by size, largest first', () => {
    const sizes = Array.from(ov.bySizeDesc, (i) => o.majorPx[i]!);
    expect(sizes.every((s, i) => i === 0 || s <= sizes[i - 1]!)).toBe(true);
  });
});

describe('screen geometry', () => {
  // The display flips y: Pixel0 (x, y) → (100 + 2x, 500 − 2y) at 2 screen px per image pixel.
  const t = { ox: 100, oy: 500, sx: 2, sy: -2 };
  it('keeps a CCW image angle CCW on a flipped screen (canvas rotation = −angle) and halves the FWHM', () => {
    const e = screenEllipse(t, 10, 20, 8, 4, 30);
    expect(e.cx).toBe(120);
    expect(e.cy).toBe(460);
    expect(e.rx).toBe(8);
    expect(e.ry).toBe(4);
    expect(e.rotation).toBeCloseTo((-30 * Math.PI) / 180, 12);
    // The major-axis end in the image, mapped to the screen, is where the canvas puts it.
    const a = (30 * Math.PI) / 180;
    const endX = t.ox + t.sx * (10 + 4 * Math.cos(a));
    const endY = t.oy + t.sy * (20 + 4 * Math.sin(a));
    expect(e.cx + e.rx * Math.cos(e.rotation)).toBeCloseTo(endX, 10);
    expect(e.cy + e.rx * Math.sin(e.rotation)).toBeCloseTo(endY, 10);
    expect(screenEllipse(t, 0, 0, 6, 0, 0).ry).toBe(6); // unknown minor axis: a circle
  });
  it('estimates the sources in view from the visible area', () => {
    expect(expectedInView(1e6, { x0: 0, y0: 0, x1: 500, y1: 500 }, 1000, 1000)).toBe(250_000);
  });
});
