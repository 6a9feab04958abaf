import { readFile, rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { AppError } from '../../shared/contract/errors';
import { SESSION_FORMAT, SESSION_FORMAT_VERSION, type SessionFile } from '../../shared/contract/session';

const id = z.number().int().min(1);
const text = (max: number) => z.string().max(max);
const free = z.record(z.string(), z.unknown());
const term = z.string().min(1).max(64);

/** The session file format, version 1 (types in src/shared/contract/session.ts). Unknown fields are errors. */
const sessionFileSchema = z.object({
  format: z.literal(SESSION_FORMAT),
  version: z.number().int().min(1),
  savedAt: text(64),
  catalogues: z.array(z.object({
    catalogueId: id,
    name: text(512),
    finder: text(128),
    uid: text(512),
    sourceCount: z.number().int().min(0),
    sourcePath: text(4096).nullable(),
    format: text(64).optional(),
    csvMapping: free.optional(),
    imagePath: text(4096).nullable(),
    style: free.optional(),
  }).strict()),
  labels: z.array(z.object({
    catalogueId: id,
    key: z.string().min(1).max(512),
    name: text(512).optional(),
    sourceness: term.optional(),
    class: term.optional(),
    morphology: term.optional(),
    notes: text(10_000).optional(),
    who: z.string().min(1).max(128),
    at: text(64),
  }).strict()),
  subsets: z.array(z.object({
    catalogueId: id, name: z.string().min(1).max(128), expression: text(10_000).optional(), keys: z.array(z.string().min(1).max(512)),
  }).strict()),
  computedColumns: z.array(z.object({ catalogueId: id, name: z.string().min(1).max(64), expression: z.string().min(1).max(10_000) }).strict()),
  state: z.object({
    image: z.object({ path: z.string().min(1).max(4096), hdu: z.number().int().min(0).optional(), plane: z.array(z.number().int().min(0)).max(8).optional() }).strict().optional(),
    view: z.object({ centre: z.object({ x: z.number().finite(), y: z.number().finite() }).strict(), zoom: z.number().finite().positive() }).strict().optional(),
    display: free.optional(),
    catalogues: z.array(z.object({ catalogueId: id, style: free.optional() }).strict()).optional(),
    activeCatalogueId: id.nullable().optional(),
    filter: text(10_000).optional(),
  }).strict(),
}).strict();

function badFile(path: string, field: string | null, problem: string): AppError {
  const where = field ? ` (field ${field})` : '';
  return new AppError('session.badFile', `${path}: not a valid CIRASA session file${where}: ${problem}`, { path, field });
}

/** `labels[3].key` from a zod issue path. */
function fieldName(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out === '' ? '' : '.'}${String(p)}`;
  return out;
}

/**
 * Read and check a session file completely before anything is applied: JSON syntax, every field's type,
 * the format version, and that labels, subsets, columns and state refer to catalogues listed in the file.
 * Errors: notFound (no such file), session.badFile (details.path, details.field).
 */
export async function readSessionFile(path: string): Promise<SessionFile> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') throw new AppError('notFound', `${path}: no such session file`, { path });
    throw badFile(path, null, `cannot read it (${code ?? String(err)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw badFile(path, null, `not JSON (${(err as Error).message})`);
  }
  if (typeof json === 'object' && json !== null && typeof (json as { version?: unknown }).version === 'number' && (json as { version: number }).version > SESSION_FORMAT_VERSION) {
    throw badFile(path, 'version', `written by a newer CIRASA (format version ${(json as { version: number }).version}; this one reads ${SESSION_FORMAT_VERSION})`);
  }
  const parsed = sessionFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw badFile(path, fieldName(issue.path) || null, issue.message);
  }
  const file = parsed.data as SessionFile;
  const known = new Set<number>();
  file.catalogues.forEach((c, i) => {
    if (known.has(c.catalogueId)) throw badFile(path, `catalogues[${i}].catalogueId`, `catalogue ${c.catalogueId} is listed twice`);
    known.add(c.catalogueId);
  });
  const check = (list: { catalogueId: number }[], name: string): void => {
    list.forEach((x, i) => {
      if (!known.has(x.catalogueId)) throw badFile(path, `${name}[${i}].catalogueId`, `catalogue ${x.catalogueId} is not in the file's catalogues`);
    });
  };
  check(file.labels, 'labels');
  check(file.subsets, 'subsets');
  check(file.computedColumns, 'computedColumns');
  check(file.state.catalogues ?? [], 'state.catalogues');
  const active = file.state.activeCatalogueId;
  if (active !== undefined && active !== null && !known.has(active)) {
    throw badFile(path, 'state.activeCatalogueId', `catalogue ${active} is not in the file's catalogues`);
  }
  return file;
}

/** Write a session file atomically (temporary file + rename), pretty-printed so it diffs well. */
export async function writeSessionFile(path: string, file: SessionFile): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, `${JSON.stringify(file, null, 1)}\n`, 'utf8');
    await rename(tmp, path);
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new AppError(code === 'ENOENT' ? 'notFound' : 'internal', `${path}: cannot write the session file (${code ?? String(err)})`, { path });
  }
}
