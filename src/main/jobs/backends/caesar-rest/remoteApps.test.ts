import { describe, expect, it } from 'vitest';
import { builtinApp } from '../../../apps/builtinApp';
import { validateOptions } from '../../../apps/optionsSchema';
import { describeApp } from '../../../caesar-rest/describe';
import { describedToSchema, remoteFinderApp } from './remoteApps';

describe('describe (api §3.6) → option schema', () => {
  it('maps the three shapes, with upstream quirks: numeric JSON types not matching `type`, "" bounds', () => {
    // rows of caesar-rest-api.md Appendix A / B
    expect(describedToSchema({ mandatory: false, type: 'none', description: 'fit', advanced: 0, category: 'COMPACT-SOURCES', subcategory: 'FITTING', enum: false }))
      .toEqual({ type: 'boolean', default: false, description: 'fit [COMPACT-SOURCES/FITTING]' });
    expect(describedToSchema({ mandatory: false, type: 'int', description: '', advanced: 0, category: 'RUN', subcategory: '', enum: false, default: 0.0, min: 0.0, max: 10000000.0 }))
      .toMatchObject({ type: 'integer', default: 0, minimum: 0, maximum: 10000000 });
    expect(describedToSchema({ mandatory: false, type: 'float', description: '', advanced: 1, category: 'IMGBKG', subcategory: '', enum: false, default: 10, min: 0, max: 3600 }))
      .toMatchObject({ type: 'number', default: 10, minimum: 0, maximum: 3600, description: '[IMGBKG, advanced]' });
    const noBounds = describedToSchema({ mandatory: false, type: 'float', description: '', advanced: 0, category: 'PREPROCESSING', subcategory: '', enum: false, default: 5.0, min: '', max: '' });
    expect(noBounds).not.toHaveProperty('minimum');
    expect(noBounds).not.toHaveProperty('maximum');
    expect(describedToSchema({ mandatory: false, type: 'str', description: '', advanced: 0, category: 'IMGBKG', subcategory: '', enum: true, default: 'Median', allowed_values: ['Mean', 'Median', 'BiWeight', 'ClippedMedian'] }))
      .toMatchObject({ type: 'string', enum: ['Mean', 'Median', 'BiWeight', 'ClippedMedian'], default: 'Median' });
  });

  it('our own describe round-trips: the remote builtin validates the same options as the local one', () => {
    const remote = remoteFinderApp('builtin', describeApp(builtinApp));
    const opts = { seedSigma: 4.5 };
    expect(validateOptions('builtin', remote.optionsSchema, opts)).toMatchObject(opts);
    expect(() => validateOptions('builtin', remote.optionsSchema, { seedSigma: 'high' })).toThrow(/seedSigma/);
    expect(() => validateOptions('builtin', remote.optionsSchema, { nosuchoption: 1 })).toThrow(/nosuchoption/);
  });
});
