import { describe, expect, it } from 'vitest';
import type { JobOptionsSchema } from '../../../shared/contract/jobs';
import { formFields, initialValues, optionsToSubmit } from './optionsForm';

const schema: JobOptionsSchema = {
  type: 'object',
  properties: {
    seedSigma: { type: 'number', default: 5, minimum: 0, description: 'seed threshold' },
    minPixels: { type: 'integer', default: 5, minimum: 1, maximum: 1000 },
    fitComponents: { type: 'boolean', default: true },
    rmsEstimator: { type: 'string', enum: ['mad', 'biweight'], default: 'mad' },
    order: { type: 'integer', enum: [1, 2, 3], default: 2 },
    scales: { type: 'array', items: { type: 'number' }, default: [2, 4] },
    label: { type: 'string' },
  },
};

describe('options form from a JSON schema', () => {
  it('picks a control per option and puts the help and range in the tooltip', () => {
    const f = Object.fromEntries(formFields(schema).map((x) => [x.name, x]));
    expect(f.seedSigma).toMatchObject({ kind: 'number', min: 0, help: 'seed threshold [0 … ∞]' });
    expect(f.minPixels).toMatchObject({ kind: 'integer', min: 1, max: 1000 });
    expect(f.fitComponents!.kind).toBe('boolean');
    expect(f.rmsEstimator).toMatchObject({ kind: 'enum', choices: ['mad', 'biweight'] });
    expect(f.scales!.kind).toBe('list');
    expect(f.label).toMatchObject({ kind: 'string', help: 'label' });
  });

  it('starts at the defaults and sends nothing when nothing changed', () => {
    const v = initialValues(schema);
    expect(v).toEqual({ seedSigma: '5', minPixels: '5', fitComponents: true, rmsEstimator: 'mad', order: '2', scales: '2,4', label: '' });
    expect(optionsToSubmit(schema, v)).toEqual({});
  });

  it('sends changed values with their types (numbers as numbers, lists as text for the service to split)', () => {
    const v = { ...initialValues(schema), seedSigma: '4.5', fitComponents: false, rmsEstimator: 'biweight', order: '3', scales: '', label: 'run 1' };
    expect(optionsToSubmit(schema, v)).toEqual({ seedSigma: 4.5, fitComponents: false, rmsEstimator: 'biweight', order: 3, scales: '', label: 'run 1' });
  });

  it('passes a non-number through unchanged so the service names the bad option', () => {
    expect(optionsToSubmit(schema, { ...initialValues(schema), minPixels: 'abc' })).toEqual({ minPixels: 'abc' });
  });
});
