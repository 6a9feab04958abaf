/**
 * `cirasa serve --config FILE`: the service's options in a file, in the spirit of caesar-rest's option table
 * (apps/run_app.py). JSON, or TOML-ish `key = value` lines with an `[oidc]` section and `#` comments. Relative
 * paths are resolved against the file's folder; command-line flags override the file.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../shared/contract/errors';

const OidcSettings = z.strictObject({
  /** RFC 7662 endpoint of the issuer. */
  introspectionUrl: z.url(),
  clientId: z.string().min(1),
  /** File holding the client secret used to authenticate introspection calls. */
  clientSecretFile: z.string().min(1),
});

export const ServeConfigSchema = z.strictObject({
  host: z.string().min(1).optional(),
  port: z.number().int().min(0).max(65535).optional(),
  auth: z.enum(['none', 'token', 'oidc']).optional(),
  tokens: z.string().optional(),
  datadir: z.string().optional(),
  jobdir: z.string().optional(),
  /** Backend profile JSON (local, container, slurm-rest, slurm-ssh). */
  profile: z.string().optional(),
  maxUploadMb: z.number().positive().optional(),
  logLevel: z.enum(['debug', 'info', 'error', 'off']).optional(),
  /** Also serve the app's browser mode on the same port. */
  web: z.boolean().optional(),
  /** Job monitor period, ms. */
  monitorPeriodMs: z.number().int().positive().optional(),
  oidc: OidcSettings.optional(),
});
export type ServeConfig = z.infer<typeof ServeConfigSchema>;

const PATH_KEYS = ['tokens', 'datadir', 'jobdir', 'profile'] as const;

function tomlValue(raw: string, where: string): unknown {
  const v = raw.trim();
  if (/^".*"$/.test(v) || /^'.*'$/.test(v)) return v.slice(1, -1);
  if (v === 'true' || v === 'false') return v === 'true';
  if (v !== '' && Number.isFinite(Number(v))) return Number(v);
  throw new AppError('validation', `${where}: value ${v} must be a quoted string, a number, true or false`);
}

/** The TOML subset: `key = value`, `[section]` (one level), comments, blank lines; `-` in keys → camelCase. */
export function parseTomlish(text: string, file: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let section: Record<string, unknown> = out;
  text.split(/\r?\n/).forEach((raw, i) => {
    const where = `${file}:${i + 1}`;
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) return;
    const sec = /^\[([A-Za-z][\w-]*)\]$/.exec(line);
    if (sec) {
      section = {};
      out[sec[1]!] = section;
      return;
    }
    const m = /^([A-Za-z][\w-]*)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new AppError('validation', `${where}: expected 'key = value' or '[section]'`, { file, line: i + 1 });
    section[m[1]!.replace(/[-_]([a-z])/g, (_, c: string) => c.toUpperCase())] = tomlValue(m[2]!, where);
  });
  return out;
}

export async function loadServeConfig(path: string): Promise<ServeConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new AppError('notFound', `Cannot read the serve config ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { file: path });
  }
  let raw: unknown;
  if (text.trim().startsWith('{')) {
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new AppError('validation', `${path}: not valid JSON (${(err as Error).message})`, { file: path });
    }
  } else {
    raw = parseTomlish(text, path);
  }
  const r = ServeConfigSchema.safeParse(raw);
  if (!r.success) {
    throw new AppError('validation', `${path}: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`, { file: path });
  }
  const cfg = r.data;
  const base = dirname(resolve(path));
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  for (const k of PATH_KEYS) if (cfg[k]) cfg[k] = abs(cfg[k]);
  if (cfg.oidc) cfg.oidc.clientSecretFile = abs(cfg.oidc.clientSecretFile);
  return cfg;
}
