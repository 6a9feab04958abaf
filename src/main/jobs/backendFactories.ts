/**
 * Backends built from profiles, keyed by profile type (architecture.md §1.5): one registry for every backend.
 */
import { readFile } from 'node:fs/promises';
import { AppError } from '../../shared/contract/errors';
import { caesarRestBackendFromProfile } from './backends/caesar-rest/fromProfile';
import { ContainerBackend } from './backends/container/containerBackend';
import { LocalBackend } from './local/localBackend';
import type { BackendProfile } from './profiles';
import type { SecretStore } from './secretStore';
import { MappedFiles } from './remoteFiles';
import { KeyFileTokenSource, StaticTokenSource } from './slurm-rest/jwt';
import { SlurmRestBackend } from './slurm-rest/slurmRestBackend';
import { SlurmSshBackend } from './slurm-ssh/slurmSshBackend';
import { sftpStaging } from './slurm-ssh/sshConnector';
import type { BackendKind, JobBackend } from './types';

/** Build a backend for a profile; `containerImage` is the app's image (container backends only). */
export type BackendFactory = (profile: BackendProfile, containerImage?: string) => Promise<JobBackend> | JobBackend;
export type BackendFactories = Partial<Record<BackendKind, BackendFactory>>;

async function secretFile(path: string, what: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (err) {
    // the path is not secret; the content never appears in a message
    throw new AppError('jobs.authFailed', `Cannot read the ${what} file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { file: path });
  }
}

/** A secret the profile editor stored (tokenSecret, passphraseSecret); the value never appears in a message. */
async function storedSecret(secrets: SecretStore | undefined, id: string, what: string): Promise<string> {
  if (!secrets) throw new AppError('jobs.authFailed', `The profile's ${what} is in the app's secret store, which this process was not given`, { secret: id });
  const value = await secrets.get(id);
  if (value === undefined) throw new AppError('jobs.authFailed', `No ${what} is stored for this profile (secret ${id}): enter it in the profile editor`, { secret: id });
  return value;
}

/** `secrets`: where profiles' tokenSecret / passphraseSecret are looked up (the app's SecretStore). */
export function defaultBackendFactories(secrets?: SecretStore): BackendFactories {
  return {
    local: () => new LocalBackend(),
    container: (p, image) => {
      if (p.type !== 'container') throw new AppError('internal', 'container factory given another profile');
      const chosen = image ?? p.image;
      return new ContainerBackend({
        ...(p.engine ? { engine: p.engine } : {}),
        ...(p.runtime ? { runtime: p.runtime } : {}),
        ...(chosen ? { image: chosen } : {}),
      });
    },
    'slurm-rest': async (p) => {
      if (p.type !== 'slurm-rest') throw new AppError('internal', 'slurm-rest factory given another profile');
      const tokens = p.keyFile
        ? new KeyFileTokenSource({ keyFile: p.keyFile, user: p.user })
        : new StaticTokenSource(p.tokenSecret ? await storedSecret(secrets, p.tokenSecret, 'token') : await secretFile(p.tokenFile!, 'token'));
      return new SlurmRestBackend({
        baseUrl: p.baseUrl, user: p.user, tokens,
        files: p.sftpHost
          ? sftpStaging({
            host: p.sftpHost, username: p.sftpUser ?? p.user, knownHostsPath: p.sftpKnownHostsFile!,
            ...(p.sftpPort ? { port: p.sftpPort } : {}), ...(p.sftpKeyFile ? { privateKeyPath: p.sftpKeyFile } : {}),
            ...(!p.sftpKeyFile && process.env.SSH_AUTH_SOCK ? { agent: process.env.SSH_AUTH_SOCK } : {}),
            ...(p.sftpAcceptFingerprint ? { acceptFingerprint: p.sftpAcceptFingerprint } : {}),
          })
          : new MappedFiles(p.pathMappings!),
        ...(p.apiVersion ? { version: p.apiVersion } : {}), ...(p.partition ? { defaultPartition: p.partition } : {}),
      });
    },
    'slurm-ssh': async (p) => {
      if (p.type !== 'slurm-ssh') throw new AppError('internal', 'slurm-ssh factory given another profile');
      return new SlurmSshBackend({
        host: p.host, username: p.user, knownHostsPath: p.knownHostsFile,
        ...(p.port ? { port: p.port } : {}),
        ...(p.keyFile ? { privateKeyPath: p.keyFile } : {}),
        ...(p.passphraseFile ? { passphrase: await secretFile(p.passphraseFile, 'passphrase') } : {}),
        ...(p.passphraseSecret ? { passphrase: await storedSecret(secrets, p.passphraseSecret, 'key passphrase') } : {}),
        ...(p.useAgent && process.env.SSH_AUTH_SOCK ? { agent: process.env.SSH_AUTH_SOCK } : {}),
        ...(p.acceptFingerprint ? { acceptFingerprint: p.acceptFingerprint } : {}),
        ...(p.partition ? { defaultPartition: p.partition } : {}),
      });
    },
    'caesar-rest': (p) => caesarRestBackendFromProfile(p, p.type === 'caesar-rest' && p.tokenSecret ? () => storedSecret(secrets, p.tokenSecret!, 'token') : undefined),
  };
}
