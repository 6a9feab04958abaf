/**
 * The finder apps of a caesar-rest service, from `/apps` and `/app/{app}/describe` (api §3.5, §3.6): each becomes
 * a FinderApp whose option schema is generated from describe (so the submit wizard's form is the service's), whose
 * command is the service's business, and whose outputs are read from the fetched job folder: CAESAR's JSON
 * catalogues (components when present, else islands), or a CIRASA catalogue (`cirasa serve`'s builtin app).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../../../shared/contract/errors';
import { builtinApp } from '../../../apps/builtinApp';
import type { FinderApp, OptionSchema, OptionsSchema } from '../../../apps/types';
import type { DescribedOption } from '../../../caesar-rest/describe';
import { readCatalogue } from '../../../catalogue/registry';
import type { CaesarRestBackend } from './caesarRestBackend';

function num(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** One described option as our JSON-schema subset (bounds only when numeric: `""` means none, api §3.6). */
export function describedToSchema(d: DescribedOption): OptionSchema {
  const help = [d.description, d.category ? `[${d.category}${d.subcategory ? `/${d.subcategory}` : ''}${d.advanced ? ', advanced' : ''}]` : ''].filter(Boolean).join(' ');
  const base = help ? { description: help } : {};
  if (d.type === 'none') return { ...base, type: 'boolean', default: false };
  if (d.enum && d.allowed_values) {
    return { ...base, type: 'string', enum: d.allowed_values, ...(typeof d.default === 'string' && d.allowed_values.includes(d.default) ? { default: d.default } : {}) };
  }
  if (d.type === 'str') return { ...base, type: 'string', ...(d.default !== undefined && d.default !== '' ? { default: String(d.default) } : {}) };
  const min = num(d.min);
  const max = num(d.max);
  const dflt = num(d.default);
  // JSON types of default/min/max need not match `type` (bmaj float default 10, tilesize int default 0.0)
  const type = d.type === 'int' ? 'integer' : 'number';
  return {
    ...base, type,
    ...(dflt !== undefined ? { default: type === 'integer' ? Math.trunc(dflt) : dflt } : {}),
    ...(min !== undefined ? { minimum: min } : {}),
    ...(max !== undefined ? { maximum: max } : {}),
  };
}

export function describeToOptionsSchema(described: Record<string, DescribedOption>): OptionsSchema {
  const properties: Record<string, OptionSchema> = {};
  for (const [name, d] of Object.entries(described)) properties[name] = describedToSchema(d);
  // the service ignores names it does not know (api §3.7); we refuse them, to catch typos before a remote run
  return { type: 'object', properties, additionalProperties: false };
}

async function readRemoteOutputs(appId: string, outDir: string, name?: string, image?: string) {
  const extra = { ...(name ? { name } : {}), ...(image ? { image } : {}) };
  const files = await readdir(outDir).catch(() => [] as string[]);
  const comps = files.find((f) => /^catalog_fitcomp-.*\.json$/.test(f));
  const islands = files.find((f) => /^catalog-.*\.json$/.test(f));
  if (comps) return readCatalogue(join(outDir, comps), { format: 'caesar-components-json', ...extra });
  if (islands) return readCatalogue(join(outDir, islands), { format: 'caesar-json', ...extra });
  if (files.includes('catalogue.json')) return builtinApp.readOutputs(outDir, {}, name ? { name } : {});
  throw new AppError('jobs.outputsMissing', `${appId}: no catalogue in the service's job outputs (${outDir}: no catalog-*.json, catalog_fitcomp-*.json or catalogue.json)`, { app: appId, dir: outDir });
}

/** A service app as a FinderApp; `id` is the service's app name (the job is submitted by that name). */
export function remoteFinderApp(id: string, described: Record<string, DescribedOption>, serviceTitle = 'caesar-rest'): FinderApp {
  return {
    id,
    title: `${id} (${serviceTitle})`,
    optionsSchema: describeToOptionsSchema(described),
    // the service builds and runs its own command; nothing runs here
    buildCommand: () => ({ argv: ['true'], outputs: [] }),
    readOutputs: (outDir, _options, ctx) => readRemoteOutputs(id, outDir, ctx.name, ctx.image),
  };
}

/** Every app the service offers, with its described options. */
export async function fetchRemoteApps(backend: CaesarRestBackend, serviceTitle?: string): Promise<FinderApp[]> {
  const names = await backend.client.apps();
  return Promise.all(names.map(async (n) => remoteFinderApp(n, await backend.client.describe(n), serviceTitle)));
}
