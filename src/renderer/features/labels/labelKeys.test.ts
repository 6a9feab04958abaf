import { describe, expect, it } from 'vitest';
import { CLASS_LABELS } from '../../../shared/domain/labels';
import { checkFilter } from '../catalogue/checkFilter';
import { withExtension } from '../export/paths';
import { classForDigit, reviewZoom } from './labelStore';

describe('label keys', () => {
  it('digits 1..9 pick the nine classes after UNKNOWN, in vocabulary order', () => {
    const v = [...CLASS_LABELS];
    expect([1, 2, 3, 9].map((d) => classForDigit(v, d))).toEqual(['GALAXY', 'QSO', 'HII', 'MULTI-CLASS']);
    expect(classForDigit(v, 10)).toBeUndefined();
  });
  it('review zoom shows a source at about 120 screen px, within 2–8×', () => {
    expect(reviewZoom(null)).toBe(4);
    expect(reviewZoom(3.75)).toBe(8);
    expect(reviewZoom(10)).toBe(3);
    expect(reviewZoom(100)).toBe(2);
  });
});

describe('filter bar', () => {
  it('points the caret at the offending character (the parser main uses)', () => {
    expect(checkFilter('snr > 7 && label != \'FAKE\'')).toBeNull();
    expect(checkFilter('')).toBeNull();
    const p = checkFilter('flux > > 3');
    expect(p?.position).toBe(7);
    expect(checkFilter('snr > 7 && nosuch < 2')?.position).toBe(11);
  });
});

describe('export dialog', () => {
  it('swaps the file extension with the format, leaving folders alone', () => {
    expect(withExtension('/a/b/cat.reg', '.vot')).toBe('/a/b/cat.vot');
    expect(withExtension('/a.dir/cat', '.csv')).toBe('/a.dir/cat.csv');
    expect(withExtension('/a/.hidden', '.json')).toBe('/a/.hidden.json');
  });
});
