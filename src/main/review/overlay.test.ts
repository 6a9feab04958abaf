import { describe, expect, it } from 'vitest';
import { decodeOverlay, decodeOverlayColumn } from '../../shared/contract/catalogues';
import { keptEntries, packOverlay, packOverlayColumn, type OverlayBase } from './overlay';

/** Sources 10, 11, 12; source 11 is an island with two component entries (type 2, carrying id 11). */
function base(): OverlayBase {
  const ids = Int32Array.from([10, 11, 11, 11, 12]);
  const f = (k: number) => Float32Array.from(ids, (_, i) => i + k);
  return { firstId: 10, lastId: 12, ids, x: f(0), y: f(1), majorPx: f(2), minorPx: f(1), angleDeg: f(0), type: Uint8Array.from([0, 1, 2, 2, 0]) };
}

describe('overlay column body', () => {
  it('components carry their source value; a filter keeps the same entries as the overlay body', () => {
    const b = base();
    const value = (id: number) => (id === 12 ? Number.NaN : id * 0.5);
    expect(Array.from(decodeOverlayColumn(new Uint8Array(packOverlayColumn(b, null, value)).buffer))).toEqual([5, 5.5, 5.5, 5.5, Number.NaN]);
    const sel = [11, 12];
    const body = decodeOverlay(new Uint8Array(packOverlay(b, new Uint8Array(3), sel)).buffer);
    const col = decodeOverlayColumn(new Uint8Array(packOverlayColumn(b, sel, value)).buffer);
    expect(Array.from(body.ids)).toEqual([11, 11, 11, 12]);
    expect(col.length).toBe(body.ids.length);
    expect(Array.from(col)).toEqual([5.5, 5.5, 5.5, Number.NaN]);
    expect(Array.from(keptEntries(b, []))).toEqual([]);
  });

  it('a truncated body is refused', () => {
    const buf = new Uint8Array(packOverlayColumn(base(), null, () => 1)).buffer.slice(0, 10);
    expect(() => decodeOverlayColumn(buf)).toThrow(RangeError);
  });
});
