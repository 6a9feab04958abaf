/**
 * A finder described by a JSON file, so adding one needs no code:
 * { "id", "title", "image", "command": ["aegean", "{input}", "--table={outdir}/out.vot", "--seedclip={option:seed}"],
 *   "options": { "seed": { "type": "number", "default": 5, "minimum": 0, "description": "..." } },
 *   "outputs": ["out_comp.vot"], "format": "votable" }
 * Placeholders: {input} (first input), {inputs} (all, one argv element each), {outdir}, {threads}, {option:NAME}.
 * A command element that is exactly `{option:NAME}` for a false boolean is dropped; true gives "true".
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { AppError } from '../../shared/contract/errors';
import { readCatalogue } from '../catalogue';
import { requireOutput } from './outputFiles';
import type { FinderApp, OptionSchema, OptionsSchema, OptionValues, BuildContext } from './types';

const OptionSchemaZ: z.ZodType<OptionSchema> = z.lazy(() =>
  z.strictObject({
    type: z.enum(['number', 'integer', 'boolean', 'string', 'array']).optional(),
    default: z.unknown().optional(),
    description: z.string().optional(),
    minimum: z.number().optional(),
    maximum: z.number().optional(),
    exclusiveMinimum: z.number().optional(),
    exclusiveMaximum: z.number().optional(),
    enum: z.array(z.union([z.string(), z.number()])).optional(),
    items: OptionSchemaZ.optional(),
  }),
) as z.ZodType<OptionSchema>;

export const ContainerAppSpecSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and -'),
  title: z.string().optional(),
  image: z.string().min(1),
  command: z.array(z.string()).min(1),
  options: z.record(z.string(), OptionSchemaZ).default({}),
  /** Output files (relative to the job directory); the FIRST is read as the catalogue. */
  outputs: z.array(z.string().min(1)).min(1),
  /** Catalogue reader id (see the catalogue registry); detected from the file when absent. */
  format: z.string().optional(),
});
export type ContainerAppSpec = z.infer<typeof ContainerAppSpecSchema>;

function substitute(word: string, options: OptionValues, ctx: BuildContext, appId: string): string[] {
  if (word === '{inputs}') return [...ctx.inputs];
  const whole = /^\{option:([^}]+)\}$/.exec(word);
  if (whole && options[whole[1]!] === false) return [];
  return [
    word.replace(/\{(input|outdir|threads|option:([^}]+))\}/g, (_m, key: string, opt: string | undefined) => {
      if (key === 'input') return ctx.inputs[0] ?? '';
      if (key === 'outdir') return ctx.outDir;
      if (key === 'threads') return String(ctx.threads);
      const v = options[opt!];
      if (v === undefined) throw new AppError('validation', `${appId}: command uses {option:${opt}} which has no value and no default`, { app: appId, option: opt });
      return Array.isArray(v) ? v.join(',') : String(v);
    }),
  ];
}

export function containerAppFromSpec(spec: ContainerAppSpec): FinderApp {
  const optionsSchema: OptionsSchema = { type: 'object', properties: spec.options, additionalProperties: false };
  const outputs = spec.outputs.map((o) => o.replace(/^\.\//, ''));
  return {
    id: spec.id,
    title: spec.title ?? spec.id,
    optionsSchema,
    containerImage: spec.image,
    buildCommand(options, ctx) {
      if (ctx.inputs.length === 0) throw new AppError('validation', `${spec.id}: needs at least one input`);
      return { argv: spec.command.flatMap((w) => substitute(w, options, ctx, spec.id)), outputs };
    },
    async readOutputs(outDir, _options, ctx) {
      const path = await requireOutput(spec.id, outDir, outputs[0]!);
      return readCatalogue(path, { ...(spec.format ? { format: spec.format } : {}), ...(ctx.image ? { image: ctx.image } : {}), ...(ctx.name ? { name: ctx.name } : {}) });
    },
  };
}

/** Load an app description; throws `validation` naming the file and the bad fields. */
export async function loadContainerApp(path: string): Promise<FinderApp> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new AppError('validation', `${path}: not a readable JSON app description (${err instanceof Error ? err.message : String(err)})`, { file: path });
  }
  const parsed = ContainerAppSpecSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('validation', `${path}: bad app description: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`, { file: path });
  }
  return containerAppFromSpec(parsed.data);
}
