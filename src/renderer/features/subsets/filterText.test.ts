import { describe, expect, it } from 'vitest';
import { catalogueFilterSchema, parseFilter } from '../../../shared/filter';
import { joinFilter, splitDefinition, subsetRef } from './filterText';

const schema = catalogueFilterSchema(undefined, {
  subsets: new Map([["it's", { subsetId: 1, members: () => new Set([1]) }], ['b', { subsetId: 2, members: () => new Set([2]) }]]),
});

describe('subsets panel text', () => {
  it('builds filters that parse, with quotes doubled and the old filter kept whole', () => {
    expect(subsetRef("it's")).toBe("subset('it''s')");
    const f = joinFilter(joinFilter('snr > 5 || flux > 1', subsetRef("it's"), '&&'), subsetRef('b'), '&& !');
    expect(f).toBe("((snr > 5 || flux > 1) && subset('it''s')) && !subset('b')");
    expect(parseFilter(f, schema)).not.toBeNull();
    expect(joinFilter('  ', subsetRef('b'), '&& !')).toBe("!subset('b')");
    expect(joinFilter('', subsetRef('b'), '||')).toBe("subset('b')");
  });
  it('splits name = expression, not name == expression', () => {
    expect(splitDefinition(' ratio = flux / peak ')).toEqual({ name: 'ratio', expression: 'flux / peak' });
    expect(splitDefinition('a = b == c')).toEqual({ name: 'a', expression: 'b == c' });
    expect(splitDefinition('ratio == 2')).toBeNull();
    expect(splitDefinition('flux / peak')).toBeNull();
  });
});
