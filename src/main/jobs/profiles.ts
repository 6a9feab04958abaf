/**
 * Backend profiles: a JSON file naming the backend type and its settings. Secrets are never inside a profile:
 * it names FILES (an HS256 key, a pasted token, an SSH key and its passphrase) that are read when a backend is
 * built, so a profile can be stored in the job table, shown and logged as it is.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { AppError } from '../../shared/contract/errors';
import type { BackendKind } from './types';

const Resources = {
  /** Display name. */
  name: z.string().optional(),
  /** Default CPUs (threads) per job. */
  cpus: z.number().int().positive().optional(),
  /** Default memory limit per job, MiB. */
  memoryMb: z.number().positive().optional(),
  /** Default wall-clock limit per job, minutes (the job service ends it TIMED-OUT). */
  timeMinutes: z.number().positive().optional(),
  /** argv prefix of `cirasa` where jobs run (the builtin app), e.g. ["/opt/cirasa/bin/cirasa.js"]. */
  cirasaCommand: z.array(z.string()).min(1).optional(),
};

const PathMapping = z.strictObject({ remotePrefix: z.string().startsWith('/'), localPrefix: z.string().min(1) });

export const LocalProfileSchema = z.strictObject({
  type: z.literal('local'),
  ...Resources,
  /** Where job directories go; default `<dataDir>/jobs`. */
  workRoot: z.string().optional(),
});

export const ContainerProfileSchema = z.strictObject({
  type: z.literal('container'),
  ...Resources,
  engine: z.enum(['podman', 'docker']).optional(),
  runtime: z.string().optional(),
  /** Image when the app names none. */
  image: z.string().optional(),
  workRoot: z.string().optional(),
});

export const SlurmRestProfileSchema = z.strictObject({
  type: z.literal('slurm-rest'),
  ...Resources,
  baseUrl: z.url(),
  user: z.string().min(1),
  /** The cluster's jwt_hs256.key (tokens are self-signed and renewed); or tokenFile. */
  keyFile: z.string().optional(),
  /** A file holding a pasted token (`scontrol token`). */
  tokenFile: z.string().optional(),
  /** A pasted token kept by the profile editor in the main process's secret store (its id, not the token). */
  tokenSecret: z.string().optional(),
  apiVersion: z.string().optional(),
  partition: z.string().optional(),
  /** Cluster-side directory for job directories. */
  workRoot: z.string().startsWith('/'),
  /** How this machine sees the cluster's files (shared file system); or SFTP staging (sftpHost...). */
  pathMappings: z.array(PathMapping).min(1).optional(),
  /** No shared file system: inputs, logs and outputs move over SFTP to this login node (known_hosts verified). */
  sftpHost: z.string().min(1).optional(),
  sftpPort: z.number().int().min(1).max(65535).optional(),
  sftpUser: z.string().min(1).optional(),
  sftpKeyFile: z.string().optional(),
  sftpKnownHostsFile: z.string().optional(),
  /** `SHA256:...` the user accepted for an SFTP host not in known_hosts. */
  sftpAcceptFingerprint: z.string().optional(),
});

export const SlurmSshProfileSchema = z.strictObject({
  type: z.literal('slurm-ssh'),
  ...Resources,
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).optional(),
  user: z.string().min(1),
  keyFile: z.string().optional(),
  passphraseFile: z.string().optional(),
  /** The key passphrase kept by the profile editor in the main process's secret store (its id). */
  passphraseSecret: z.string().optional(),
  /** Authenticate through ssh-agent (SSH_AUTH_SOCK). */
  useAgent: z.boolean().optional(),
  knownHostsFile: z.string().min(1),
  /** `SHA256:...` the user accepted for a host not in known_hosts. */
  acceptFingerprint: z.string().optional(),
  partition: z.string().optional(),
  workRoot: z.string().startsWith('/'),
});

/** A caesar-rest v1.0 service (upstream or `cirasa serve`); see jobs/backends/caesar-rest. */
export const CaesarRestProfileSchema = z.strictObject({
  type: z.literal('caesar-rest'),
  ...Resources,
  /** Service root (the `/caesar/api/v1.0` prefix is added). */
  url: z.url(),
  /** A file holding a pasted bearer token; or tokenSecret (pasted in the profile editor); or `oidc`; none = no authentication. */
  tokenFile: z.string().optional(),
  /** Id of the pasted token in the app's SecretStore (set by the profile editor). */
  tokenSecret: z.string().optional(),
  /** Tokens from an OIDC issuer: client credentials, or a refresh token (from a file). */
  oidc: z
    .strictObject({ tokenUrl: z.url(), clientId: z.string().min(1), clientSecretFile: z.string().optional(), refreshTokenFile: z.string().optional(), scope: z.string().optional() })
    .optional(),
  /** Per-request timeout, ms (default 60 000). */
  timeoutMs: z.number().int().positive().optional(),
});

export const BackendProfileSchema = z.discriminatedUnion('type', [LocalProfileSchema, ContainerProfileSchema, SlurmRestProfileSchema, SlurmSshProfileSchema, CaesarRestProfileSchema]);
export type BackendProfile = z.infer<typeof BackendProfileSchema>;
export type LocalProfile = z.infer<typeof LocalProfileSchema>;

/** Fields a careless profile might use to inline a secret: refused with a pointer to the *File field. */
const INLINE_SECRETS = ['token', 'password', 'passphrase', 'privateKey', 'key', 'secret', 'jwt'];

/** Validate a profile object; throws `validation` naming the source and each bad field (never echoing values). */
export function parseProfile(raw: unknown, source = 'profile'): BackendProfile {
  if (raw && typeof raw === 'object') {
    const inline = INLINE_SECRETS.filter((k) => k in raw);
    if (inline.length) {
      throw new AppError('validation', `${source}: secrets are not stored in profiles (${inline.join(', ')}); name a file instead (keyFile, tokenFile, passphraseFile)`, { source, fields: inline });
    }
  }
  const r = BackendProfileSchema.safeParse(raw);
  if (!r.success) {
    throw new AppError('validation', `${source}: bad backend profile: ${r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`, { source });
  }
  if (r.data.type === 'slurm-rest' && [r.data.keyFile, r.data.tokenFile, r.data.tokenSecret].filter(Boolean).length !== 1) {
    throw new AppError('validation', `${source}: a slurm-rest profile needs exactly one of keyFile, tokenFile or a stored token`, { source });
  }
  if (r.data.type === 'caesar-rest' && [r.data.tokenFile, r.data.tokenSecret, r.data.oidc].filter(Boolean).length > 1) {
    throw new AppError('validation', `${source}: a caesar-rest profile takes one of tokenFile, a pasted token or oidc`, { source });
  }
  if (r.data.type === 'slurm-rest' && !r.data.pathMappings === !r.data.sftpHost) {
    throw new AppError('validation', `${source}: a slurm-rest profile needs exactly one of pathMappings (shared file system) or sftpHost (SFTP staging)`, { source });
  }
  if (r.data.type === 'slurm-rest' && r.data.sftpHost && !r.data.sftpKnownHostsFile) {
    throw new AppError('validation', `${source}: SFTP staging needs sftpKnownHostsFile (the login node's host key is verified)`, { source });
  }
  if (r.data.type === 'slurm-ssh' && !r.data.keyFile && !r.data.useAgent) {
    throw new AppError('validation', `${source}: a slurm-ssh profile needs keyFile or useAgent`, { source });
  }
  return r.data;
}

export async function loadProfile(path: string): Promise<BackendProfile> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new AppError('validation', `${path}: not a readable JSON profile (${err instanceof Error ? err.message : String(err)})`, { file: path });
  }
  return parseProfile(raw, path);
}

/** One line for lists and logs: type, name, where (no secrets: profiles hold none). */
export function describeProfile(p: BackendProfile): string {
  const where = p.type === 'slurm-rest' ? ` ${p.user}@${p.baseUrl}` : p.type === 'slurm-ssh' ? ` ${p.user}@${p.host}` : p.type === 'caesar-rest' ? ` ${p.url}` : '';
  return `${p.type}${p.name ? ` "${p.name}"` : ''}${where}`;
}

export type ProfileKind = BackendProfile['type'] & BackendKind;
