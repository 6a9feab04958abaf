/**
 * The backend-profile form: which fields each profile type has, and the conversion between a profile's settings
 * (JSON) and the form's strings. Secrets are not fields here: they are typed into password inputs and sent once.
 */
import type { ProfileSecretField } from '../../../shared/contract/jobs';

export type ProfileType = 'slurm-rest' | 'slurm-ssh' | 'container' | 'caesar-rest';
export const PROFILE_TYPES: readonly ProfileType[] = ['slurm-rest', 'slurm-ssh', 'container', 'caesar-rest'];

export interface ProfileField {
  key: string;
  label: string;
  kind: 'text' | 'number' | 'boolean' | 'mappings' | 'words';
  help?: string;
}

const RESOURCES: ProfileField[] = [
  { key: 'name', label: 'Display name', kind: 'text' },
  { key: 'partition', label: 'Partition', kind: 'text' },
  { key: 'cpus', label: 'CPUs per job', kind: 'number' },
  { key: 'memoryMb', label: 'Memory per job (MiB)', kind: 'number' },
  { key: 'timeMinutes', label: 'Time limit (min)', kind: 'number' },
  { key: 'cirasaCommand', label: 'cirasa command there', kind: 'words', help: 'argv prefix of cirasa where jobs run, space-separated' },
];

export const PROFILE_FIELDS: Record<ProfileType, ProfileField[]> = {
  'slurm-rest': [
    { key: 'baseUrl', label: 'slurmrestd URL', kind: 'text', help: 'e.g. http://login.cluster:6820' },
    { key: 'user', label: 'Slurm user', kind: 'text' },
    { key: 'keyFile', label: 'JWT key file (HS256)', kind: 'text', help: 'the cluster jwt_hs256.key (tokens are signed and renewed); or paste a token below' },
    { key: 'tokenFile', label: 'Token file', kind: 'text' },
    { key: 'apiVersion', label: 'API version', kind: 'text', help: 'empty = the newest the server offers' },
    { key: 'workRoot', label: 'Cluster work folder', kind: 'text' },
    { key: 'pathMappings', label: 'Shared folders', kind: 'mappings', help: 'one per line: cluster path = path on this machine (or SFTP staging below)' },
    { key: 'sftpHost', label: 'SFTP staging host', kind: 'text', help: 'no shared file system: files move over SFTP to this login node' },
    { key: 'sftpPort', label: 'SFTP port', kind: 'number' },
    { key: 'sftpUser', label: 'SFTP user', kind: 'text', help: 'default: the Slurm user' },
    { key: 'sftpKeyFile', label: 'SFTP private key file', kind: 'text', help: 'empty = ssh-agent' },
    { key: 'sftpKnownHostsFile', label: 'SFTP known_hosts file', kind: 'text' },
    ...RESOURCES,
  ],
  'slurm-ssh': [
    { key: 'host', label: 'Login host', kind: 'text' },
    { key: 'port', label: 'SSH port', kind: 'number' },
    { key: 'user', label: 'User', kind: 'text' },
    { key: 'keyFile', label: 'Private key file', kind: 'text' },
    { key: 'useAgent', label: 'Use ssh-agent', kind: 'boolean' },
    { key: 'knownHostsFile', label: 'known_hosts file', kind: 'text' },
    { key: 'acceptFingerprint', label: 'Accepted host fingerprint', kind: 'text', help: 'SHA256:… of a host not in known_hosts' },
    { key: 'workRoot', label: 'Cluster work folder', kind: 'text' },
    ...RESOURCES,
  ],
  container: [
    { key: 'engine', label: 'Engine (podman|docker)', kind: 'text' },
    { key: 'runtime', label: 'Runtime', kind: 'text' },
    { key: 'image', label: 'Default image', kind: 'text' },
    { key: 'workRoot', label: 'Work folder', kind: 'text' },
    ...RESOURCES.filter((f) => f.key !== 'partition'),
  ],
  'caesar-rest': [
    { key: 'url', label: 'Service URL', kind: 'text' },
    { key: 'tokenFile', label: 'Token file', kind: 'text' },
    { key: 'timeoutMs', label: 'Request timeout (ms)', kind: 'number' },
    { key: 'name', label: 'Display name', kind: 'text' },
  ],
};

/** Secrets each type can keep in the main process (typed here, never shown again). */
export const PROFILE_SECRETS: Record<ProfileType, { field: ProfileSecretField; label: string }[]> = {
  'slurm-rest': [{ field: 'token', label: 'Pasted token (scontrol token)' }],
  'slurm-ssh': [{ field: 'passphrase', label: 'Key passphrase' }],
  container: [],
  'caesar-rest': [{ field: 'token', label: 'Pasted bearer token' }],
};

export type ProfileFormValues = Record<string, string | boolean>;

export function settingsToForm(type: ProfileType, settings: Record<string, unknown>): ProfileFormValues {
  const out: ProfileFormValues = {};
  for (const f of PROFILE_FIELDS[type]) {
    const v = settings[f.key];
    if (f.kind === 'boolean') out[f.key] = v === true;
    else if (f.kind === 'mappings') out[f.key] = Array.isArray(v) ? (v as { remotePrefix: string; localPrefix: string }[]).map((m) => `${m.remotePrefix} = ${m.localPrefix}`).join('\n') : '';
    else if (f.kind === 'words') out[f.key] = Array.isArray(v) ? v.join(' ') : '';
    else out[f.key] = v === undefined || v === null ? '' : String(v);
  }
  return out;
}

/**
 * The profile JSON for the form values: empty fields are left out, numbers parsed, mappings split on '='.
 * `base` keeps settings the form does not show (e.g. a caesar-rest OIDC block). Throws Error naming a bad field.
 */
export function formToSettings(type: ProfileType, values: ProfileFormValues, base: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base, type };
  for (const f of PROFILE_FIELDS[type]) {
    delete out[f.key];
    const v = values[f.key];
    if (f.kind === 'boolean') {
      if (v === true) out[f.key] = true;
      continue;
    }
    const text = typeof v === 'string' ? v.trim() : '';
    if (text === '') continue;
    if (f.kind === 'number') {
      const n = Number(text);
      if (!Number.isFinite(n)) throw new Error(`${f.label}: not a number`);
      out[f.key] = n;
    } else if (f.kind === 'words') {
      out[f.key] = text.split(/\s+/);
    } else if (f.kind === 'mappings') {
      out[f.key] = text.split('\n').filter((l) => l.trim() !== '').map((line) => {
        const [remote, local] = line.split('=').map((s) => s.trim());
        if (!remote || !local) throw new Error(`${f.label}: "${line.trim()}" is not "cluster path = local path"`);
        return { remotePrefix: remote, localPrefix: local };
      });
    } else {
      out[f.key] = text;
    }
  }
  return out;
}
