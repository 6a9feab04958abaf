import { SftpFiles } from './sftpFiles';
import { SshSession, type SshConnectOptions } from './sshSession';

/** One lazily opened SSH connection, reopened when it dropped; a failed connect is not cached. */
export class SshConnector {
  private session: Promise<SshSession> | undefined;

  constructor(private readonly options: SshConnectOptions) {}

  get(signal?: AbortSignal): Promise<SshSession> {
    const current = this.session;
    if (current) {
      return current.then((s) => {
        if (s.isOpen) return s;
        if (this.session === current) this.session = undefined;
        return this.get(signal);
      });
    }
    const opening = SshSession.connect(this.options, signal);
    this.session = opening;
    opening.catch(() => {
      if (this.session === opening) this.session = undefined;
    });
    return opening;
  }

  async close(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    if (s) (await s.catch(() => undefined))?.close();
  }
}

/**
 * SFTP staging for a backend without a shared file system (slurm-rest): inputs, logs and outputs move over
 * their own SSH connection to a login node.
 */
export function sftpStaging(options: SshConnectOptions): SftpFiles {
  const connector = new SshConnector(options);
  return new SftpFiles(
    async () => (await connector.get()).sftp(),
    () => connector.close(),
  );
}
