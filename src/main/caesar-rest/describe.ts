/**
 * caesar-rest's view of an app's options (api §3.6, §3.7): `/app/{app}/describe` generated from our JSON option
 * schema, and `job_inputs` cast the way caesar-rest's AppConfigurator does before our own validation.
 */
import type { FinderApp, OptionSchema } from '../apps/types';

export interface DescribedOption {
  mandatory: boolean;
  type: 'none' | 'int' | 'float' | 'str';
  description: string;
  advanced: 0 | 1;
  category: string;
  subcategory: string;
  enum: boolean;
  default?: unknown;
  min?: number | string;
  max?: number | string;
  allowed_values?: string[];
}

function describeOption(app: FinderApp, s: OptionSchema): DescribedOption {
  const base = { mandatory: false, description: s.description ?? '', advanced: 0 as const, category: app.id.toUpperCase(), subcategory: '' };
  if (s.type === 'boolean') return { ...base, type: 'none', enum: false };
  if (s.enum) {
    return { ...base, type: 'str', enum: true, default: s.default !== undefined ? String(s.default) : '', allowed_values: s.enum.map(String) };
  }
  const type = s.type === 'integer' ? 'int' : s.type === 'number' ? 'float' : 'str';
  const dflt = Array.isArray(s.default) ? s.default.join(',') : (s.default ?? '');
  const min = s.minimum ?? s.exclusiveMinimum;
  const max = s.maximum ?? s.exclusiveMaximum;
  return { ...base, type, enum: false, default: dflt, min: min ?? '', max: max ?? '' };
}

/** `/app/{app}/describe`: option name → option description. */
export function describeApp(app: FinderApp): Record<string, DescribedOption> {
  const out: Record<string, DescribedOption> = {};
  for (const [name, s] of Object.entries(app.optionsSchema.properties)) out[name] = describeOption(app, s);
  return out;
}

/** A `job_inputs` value caesar-rest refuses, with its status text. */
export class JobInputError extends Error {}

/**
 * caesar-rest's casting: unknown names ignored; flags must be JSON booleans; ints truncate (4.7 → 4), floats
 * cast from strings; enumerations must match exactly. Answers the options for our validator (which also
 * enforces min/max: a finder would refuse them anyway).
 */
export function castJobInputs(app: FinderApp, inputs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(inputs)) {
    const s = app.optionsSchema.properties[name];
    if (!s) continue;
    const d = describeOption(app, s);
    if (d.type === 'none') {
      if (typeof value !== 'boolean') throw new JobInputError(`Failed to parse bool option ${name} (parsed value type is not a boolean)!`);
      out[name] = value;
    } else if (d.enum) {
      const allowed = s.enum!;
      const hit = allowed.find((a) => String(a) === String(value) && (typeof value === 'string' || typeof value === 'number'));
      if (hit === undefined) throw new JobInputError(`Option ${name} value ${String(value)} is not among valid enumerations!`);
      out[name] = hit;
    } else if (d.type === 'int' || d.type === 'float') {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(n)) throw new JobInputError(`Failed to cast option ${name} to type <class '${d.type}'> !`);
      out[name] = d.type === 'int' ? Math.trunc(n) : n;
    } else {
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) throw new JobInputError(`Failed to cast option ${name} to type <class 'str'> !`);
      out[name] = Array.isArray(value) ? value : String(value);
    }
  }
  return out;
}
