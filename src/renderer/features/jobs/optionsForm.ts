/**
 * The submit wizard's options form, generated from a finder app's JSON schema: which control each option
 * gets, its initial value (the default), and the values sent to `jobs.submit` (only what differs from the
 * default, so the service fills the rest and a job's options read as the user's choices).
 */
import type { JobOptionSchema, JobOptionsSchema } from '../../../shared/contract/jobs';

export type FieldKind = 'number' | 'integer' | 'boolean' | 'enum' | 'string' | 'list';

export interface FormField {
  name: string;
  kind: FieldKind;
  /** Tooltip: the schema's help text plus its range. */
  help: string;
  min?: number;
  max?: number;
  choices?: readonly (string | number)[];
}

/** Form values are what the inputs hold: strings for text/number fields, booleans for check boxes. */
export type FormValues = Record<string, string | boolean>;

export function fieldKind(s: JobOptionSchema): FieldKind {
  if (s.enum && s.enum.length > 0) return 'enum';
  if (s.type === 'integer' || s.type === 'number' || s.type === 'boolean' || s.type === 'string') return s.type;
  return s.type === 'array' ? 'list' : 'string';
}

export function formFields(schema: JobOptionsSchema): FormField[] {
  return Object.entries(schema.properties).map(([name, s]) => {
    const min = s.minimum ?? s.exclusiveMinimum;
    const max = s.maximum ?? s.exclusiveMaximum;
    const range = min !== undefined || max !== undefined ? ` [${min ?? '−∞'} … ${max ?? '∞'}]` : '';
    return {
      name, kind: fieldKind(s), help: `${s.description ?? name}${range}`,
      ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}), ...(s.enum ? { choices: s.enum } : {}),
    };
  });
}

function initialValue(s: JobOptionSchema): string | boolean {
  const d = s.default;
  if (fieldKind(s) === 'boolean') return d === true;
  if (Array.isArray(d)) return d.join(',');
  return d === undefined || d === null ? '' : String(d);
}

export function initialValues(schema: JobOptionsSchema): FormValues {
  return Object.fromEntries(Object.entries(schema.properties).map(([name, s]) => [name, initialValue(s)]));
}

/**
 * Options for jobs.submit: fields left at their default (or empty without one) are omitted; numbers and enums
 * of numbers are sent as numbers, lists as comma-separated strings (the service splits and checks them).
 */
export function optionsToSubmit(schema: JobOptionsSchema, values: FormValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(schema.properties)) {
    const v = values[name];
    if (v === undefined || v === initialValue(s)) continue;
    if (typeof v === 'boolean') {
      out[name] = v;
      continue;
    }
    const kind = fieldKind(s);
    if (v.trim() === '' && kind !== 'string' && kind !== 'list') continue;
    const numeric = kind === 'number' || kind === 'integer' || (kind === 'enum' && typeof s.enum![0] === 'number');
    out[name] = numeric && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
  }
  return out;
}
