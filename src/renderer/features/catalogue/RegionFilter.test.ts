import { describe, expect, it } from 'vitest';
import { catalogueFilterSchema, parseFilter } from '../../../shared/filter';
import { withoutRegion, withRegion } from './RegionFilter';

describe('region clause', () => {
  it('is appended once, parses with the subset known, and comes off again leaving the expression', () => {
    for (const f of ['', 'flux > 0.0004', "snr > 5 || label = 'REAL'"]) {
      const w = withRegion(f);
      expect(withRegion(w)).toBe(w);
      expect(withoutRegion(w)).toBe(f);
      const schema = catalogueFilterSchema(undefined, { subsets: new Map([['region', { subsetId: 1, members: () => new Set<number>() }]]), computed: new Map() });
      expect(() => parseFilter(w, schema)).not.toThrow();
    }
    expect(withRegion("snr > 5 || label = 'REAL'")).toBe("(snr > 5 || label = 'REAL') && subset('region')");
    expect(withoutRegion('flux > 1')).toBe('flux > 1');
  });
});
