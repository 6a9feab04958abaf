/**
 * Validation of app options against the app's JSON schema: unknown names, types, enums and ranges give one
 * `validation` AppError listing every problem; missing options take the schema's defaults.
 */
import { AppError } from '../../shared/contract/errors';
import type { OptionSchema, OptionsSchema, OptionValues } from './types';

function checkValue(name: string, s: OptionSchema, v: unknown, problems: string[]): unknown {
  switch (s.type) {
    case 'number':
    case 'integer': {
      const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isFinite(n)) {
        problems.push(`${name}: expected a number, got ${JSON.stringify(v)}`);
        return v;
      }
      if (s.type === 'integer' && !Number.isInteger(n)) problems.push(`${name}: expected an integer, got ${n}`);
      if (s.minimum !== undefined && n < s.minimum) problems.push(`${name}: ${n} is below the minimum ${s.minimum}`);
      if (s.maximum !== undefined && n > s.maximum) problems.push(`${name}: ${n} is above the maximum ${s.maximum}`);
      if (s.exclusiveMinimum !== undefined && n <= s.exclusiveMinimum) problems.push(`${name}: ${n} must be greater than ${s.exclusiveMinimum}`);
      if (s.exclusiveMaximum !== undefined && n >= s.exclusiveMaximum) problems.push(`${name}: ${n} must be less than ${s.exclusiveMaximum}`);
      if (s.enum && !s.enum.includes(n)) problems.push(`${name}: ${n} is not one of ${s.enum.join(', ')}`);
      return n;
    }
    case 'boolean': {
      const b = v === 'true' ? true : v === 'false' ? false : v;
      if (typeof b !== 'boolean') problems.push(`${name}: expected true or false, got ${JSON.stringify(v)}`);
      return b;
    }
    case 'string': {
      if (typeof v !== 'string') {
        problems.push(`${name}: expected a string, got ${JSON.stringify(v)}`);
        return v;
      }
      if (s.enum && !s.enum.includes(v)) problems.push(`${name}: '${v}' is not one of ${s.enum.join(', ')}`);
      return v;
    }
    case 'array': {
      let arr = v;
      if (typeof v === 'string') arr = v.trim() === '' ? [] : v.split(',');
      if (!Array.isArray(arr)) {
        problems.push(`${name}: expected a list, got ${JSON.stringify(v)}`);
        return v;
      }
      return s.items ? arr.map((x, i) => checkValue(`${name}[${i}]`, s.items!, x, problems)) : arr;
    }
    default:
      if (s.enum && !s.enum.includes(v as string)) problems.push(`${name}: ${JSON.stringify(v)} is not one of ${s.enum.join(', ')}`);
      return v;
  }
}

/**
 * Options with defaults filled; strings are coerced for number/integer/boolean/array options (CLI `k=v`).
 * Throws AppError('validation') naming the app and every bad option.
 */
export function validateOptions(appId: string, schema: OptionsSchema, given: Record<string, unknown>): OptionValues {
  const problems: string[] = [];
  const out: OptionValues = {};
  for (const [name, value] of Object.entries(given)) {
    const s = schema.properties[name];
    if (!s) {
      if (schema.additionalProperties === false || schema.additionalProperties === undefined) {
        problems.push(`${name}: unknown option (known: ${Object.keys(schema.properties).join(', ')})`);
      } else out[name] = value;
      continue;
    }
    if (value === undefined) continue;
    out[name] = checkValue(name, s, value, problems);
  }
  for (const [name, s] of Object.entries(schema.properties)) {
    if (!(name in out) && s.default !== undefined) out[name] = structuredClone(s.default);
  }
  if (problems.length > 0) {
    throw new AppError('validation', `Bad options for app '${appId}': ${problems.join('; ')}`, { app: appId, problems });
  }
  return out;
}
