import { describe, expect, it } from 'vitest';
import { TileBuffers } from './tileBuffers';

describe('tile work arrays', () => {
  it('reuses a slot for the next task, zeroes int32 labels, and keeps slots apart', () => {
    const b = new TileBuffers();
    const a1 = b.float32('plane', 100);
    a1.fill(7);
    const a2 = b.float32('plane', 80);
    expect(a2.buffer).toBe(a1.buffer);
    expect(a2.length).toBe(80);
    expect(b.float32('bkg', 100).buffer).not.toBe(a1.buffer);
    const l1 = b.zeroInt32('labels', 50);
    l1.fill(3);
    expect(Array.from(b.zeroInt32('labels', 50)).every((v) => v === 0)).toBe(true);
  });

  it('grows a slot for a larger plane, and does not keep one far larger than a tile', () => {
    const b = new TileBuffers();
    const small = b.float32('plane', 10);
    const larger = b.float32('plane', 1000);
    expect(larger.buffer).not.toBe(small.buffer);
    expect(b.float32('plane', 900).buffer).toBe(larger.buffer);
    // 5 M float32 = 20 MB: handed out fresh, and the slot keeps its previous array
    const huge = b.float32('plane', 5_000_000);
    expect(huge.length).toBe(5_000_000);
    expect(b.float32('plane', 900).buffer).toBe(larger.buffer);
  });
});
