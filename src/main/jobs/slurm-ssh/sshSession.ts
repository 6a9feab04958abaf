import { appendFile, readFile } from 'node:fs/promises';
import { Client, type Algorithms, type ClientChannel, type ConnectConfig, type SFTPWrapper } from 'ssh2';
import { AppError } from '../../../shared/contract/errors';
import { checkHostKey, knownHostsLine, knownKeyTypes, parseKnownHosts, type HostKeyVerdict } from './knownHosts';

export interface SshConnectOptions {
  host: string;
  port?: number;
  username: string;
  /** Private key text (OpenSSH/PEM) or a path to read it from; or use `agent`. */
  privateKey?: string | Buffer;
  privateKeyPath?: string;
  passphrase?: string;
  /** ssh-agent socket (e.g. process.env.SSH_AUTH_SOCK). */
  agent?: string;
  /** known_hosts file used to verify the server (required: we never connect to an unverified host). */
  knownHostsPath: string;
  /**
   * `SHA256:…` fingerprint the user accepted for a host NOT in known_hosts (after comparing it out of band).
   * Never overrides a changed key.
   */
  acceptFingerprint?: string;
  /** Append an accepted key to known_hosts (default true). */
  saveAcceptedKey?: boolean;
  readyTimeoutMs?: number;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** Exit status; null when the remote process died from a signal. */
  code: number | null;
  signal?: string;
}

export interface ExecOptions {
  /** Written to the command's stdin, then EOF. */
  stdin?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Host-key algorithms ssh2 can negotiate for the key types known_hosts has (RSA keys sign with sha2 first). */
function preferredHostKeyAlgorithms(keyTypes: readonly string[]): string[] {
  const byType: Record<string, string[]> = {
    'ssh-ed25519': ['ssh-ed25519'],
    'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
    'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
    'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
    'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
  };
  return keyTypes.flatMap((t) => byType[t] ?? []);
}

function hostKeyError(verdict: HostKeyVerdict, where: string, knownHostsPath: string): AppError {
  switch (verdict.result) {
    case 'unknown':
      return new AppError(
        'jobs.hostKeyUnknown',
        `${where} is not in ${knownHostsPath}; its host key fingerprint is ${verdict.fingerprint}. Accept it only if it matches the one your administrator publishes`,
        { fingerprint: verdict.fingerprint, host: where },
      );
    case 'changed':
      return new AppError(
        'jobs.hostKeyChanged',
        `The host key of ${where} has CHANGED: it now presents ${verdict.fingerprint}, but ${knownHostsPath} (line ${verdict.lines.join(', ')}) has ${verdict.knownFingerprints.join(', ')}. Connection refused: someone may be intercepting it, or the server was reinstalled (ask its administrator, then edit known_hosts)`,
        { fingerprint: verdict.fingerprint, known: verdict.knownFingerprints, lines: verdict.lines, host: where },
      );
    case 'revoked':
      return new AppError('jobs.hostKeyChanged', `The host key ${verdict.fingerprint} of ${where} is marked @revoked in ${knownHostsPath} (line ${verdict.line})`, {
        fingerprint: verdict.fingerprint,
        host: where,
      });
    default:
      return new AppError('internal', `host key of ${where} matched`);
  }
}

/** One authenticated SSH connection (ssh2) with verified host key: exec with output capture, SFTP. */
export class SshSession {
  private closed = false;
  private sftpChannel: Promise<SFTPWrapper> | undefined;

  private constructor(
    private readonly client: Client,
    readonly where: string,
  ) {
    client.on('close', () => {
      this.closed = true;
    });
    client.on('error', () => {
      this.closed = true; // later calls fail with a clear error; an 'error' without a listener would crash
    });
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  static async connect(options: SshConnectOptions, signal?: AbortSignal): Promise<SshSession> {
    const port = options.port ?? 22;
    const where = `${options.username}@${options.host}:${port}`;
    let knownText = '';
    try {
      knownText = await readFile(options.knownHostsPath, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const entries = parseKnownHosts(knownText);
    let privateKey = options.privateKey;
    if (privateKey === undefined && options.privateKeyPath !== undefined) {
      try {
        privateKey = await readFile(options.privateKeyPath);
      } catch (err) {
        throw new AppError('jobs.authFailed', `Cannot read the SSH key ${options.privateKeyPath} (${(err as NodeJS.ErrnoException).code ?? err})`, {
          keyPath: options.privateKeyPath,
        });
      }
    }
    if (privateKey === undefined && options.agent === undefined) {
      throw new AppError('validation', `No SSH key or agent configured for ${where}`);
    }

    let refusal: AppError | undefined;
    let accepted: Buffer | undefined;
    const hostVerifier = (key: Buffer): boolean => {
      const verdict = checkHostKey(entries, options.host, port, key);
      if (verdict.result === 'match') return true;
      if (verdict.result === 'unknown' && options.acceptFingerprint !== undefined && options.acceptFingerprint.trim() === verdict.fingerprint) {
        accepted = key;
        return true;
      }
      refusal = hostKeyError(verdict, `${options.host}:${port}`, options.knownHostsPath);
      return false;
    };
    const preferred = preferredHostKeyAlgorithms(knownKeyTypes(entries, options.host, port));
    const config: ConnectConfig = {
      host: options.host,
      port,
      username: options.username,
      readyTimeout: options.readyTimeoutMs ?? 15_000,
      hostVerifier,
      // ask for a key type we already know (as OpenSSH does), so a server with several keys shows the known one
      ...(preferred.length > 0 ? { algorithms: { serverHostKey: { remove: preferred, prepend: preferred } as Algorithms['serverHostKey'] } } : {}),
      ...(privateKey !== undefined ? { privateKey } : {}),
      ...(options.passphrase !== undefined ? { passphrase: options.passphrase } : {}),
      ...(options.agent !== undefined ? { agent: options.agent } : {}),
    };

    const client = new Client();
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        client.end();
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      client.once('ready', () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      client.once('error', (err: Error & { level?: string; code?: string }) => {
        signal?.removeEventListener('abort', onAbort);
        client.end();
        if (refusal) return reject(refusal);
        if (err.level === 'client-authentication') {
          return reject(new AppError('jobs.authFailed', `SSH login to ${where} was refused (${err.message}): check the key, agent and user name`, { host: where }));
        }
        if (err.level === 'client-timeout' || err.code !== undefined || err.level === 'client-socket') {
          return reject(new AppError('jobs.backendUnreachable', `Cannot reach SSH server ${where}: ${err.code ?? err.message}`, { host: where, cause: err.code ?? err.message }));
        }
        reject(new AppError('jobs.backendUnreachable', `SSH connection to ${where} failed: ${err.message}`, { host: where }));
      });
      client.connect(config);
    });
    if (accepted && options.saveAcceptedKey !== false) {
      const sep = knownText === '' || knownText.endsWith('\n') ? '' : '\n';
      await appendFile(options.knownHostsPath, `${sep}${knownHostsLine(options.host, port, accepted)}\n`, { mode: 0o600 });
    }
    return new SshSession(client, where);
  }

  /** Run a command through the user's login shell; resolves with its output whatever the exit code. */
  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    if (this.closed) return Promise.reject(new AppError('jobs.backendUnreachable', `SSH connection to ${this.where} is closed`));
    return new Promise((resolve, reject) => {
      this.client.exec(command, (err, stream: ClientChannel) => {
        if (err) return reject(new AppError('jobs.backendUnreachable', `SSH exec on ${this.where} failed: ${err.message}`));
        const out: Buffer[] = [];
        const errOut: Buffer[] = [];
        let timer: NodeJS.Timeout | undefined;
        const stop = (why: unknown): void => {
          // closes the channel; a remote process that neither reads nor writes may run on (sshd ignored a
          // 'signal' request in tests), harmless for the short Slurm commands this runs
          stream.close();
          reject(why);
        };
        const onAbort = (): void => stop(options.signal?.reason);
        options.signal?.addEventListener('abort', onAbort, { once: true });
        if (options.timeoutMs !== undefined) {
          timer = setTimeout(
            () => stop(new AppError('jobs.backendUnreachable', `${command.split(' ')[0]} on ${this.where} did not finish within ${options.timeoutMs} ms`)),
            options.timeoutMs,
          );
        }
        stream.on('data', (d: Buffer) => out.push(d));
        stream.stderr.on('data', (d: Buffer) => errOut.push(d));
        stream.on('close', (code: number | null, sig?: string) => {
          if (timer) clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
          resolve({
            stdout: Buffer.concat(out).toString('utf8'),
            stderr: Buffer.concat(errOut).toString('utf8'),
            code: code ?? null,
            ...(sig ? { signal: sig } : {}),
          });
        });
        if (options.stdin !== undefined) stream.end(options.stdin);
        else stream.end();
      });
    });
  }

  /** The SFTP subsystem (opened once per session). */
  sftp(): Promise<SFTPWrapper> {
    if (this.closed) return Promise.reject(new AppError('jobs.backendUnreachable', `SSH connection to ${this.where} is closed`));
    this.sftpChannel ??= new Promise((resolve, reject) =>
      this.client.sftp((err, sftp) => (err ? reject(new AppError('jobs.backendUnreachable', `SFTP on ${this.where} failed: ${err.message}`)) : resolve(sftp))),
    );
    return this.sftpChannel;
  }

  close(): void {
    this.closed = true;
    this.client.end();
  }
}
