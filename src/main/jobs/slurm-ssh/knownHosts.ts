import { createHash, createHmac } from 'node:crypto';

/**
 * OpenSSH known_hosts matching: plain (`host,[host]:port`, `*`/`?` globs, `!negation`) and hashed (`|1|salt|hmac`)
 * host fields, `@revoked` markers. Keys are compared as raw SSH public-key blobs.
 */

export interface KnownHostEntry {
  line: number;
  marker?: '@revoked' | '@cert-authority';
  hosts: string;
  keyType: string;
  key: Buffer;
}

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') marker = fields.shift() as KnownHostEntry['marker'];
    const [hosts, keyType, b64] = fields;
    if (!hosts || !keyType || !b64) return;
    const key = Buffer.from(b64, 'base64');
    if (key.length === 0) return;
    out.push({ line: i + 1, hosts, keyType, key, ...(marker ? { marker } : {}) });
  });
  return out;
}

/** How known_hosts names a host: `host` on port 22, `[host]:port` otherwise. */
export function hostPattern(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** Does a host field (comma list, possibly hashed) name `host` on `port`? */
export function hostFieldMatches(field: string, host: string, port: number): boolean {
  const name = hostPattern(host, port);
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  let matched = false;
  for (const pattern of field.split(',')) {
    const negated = pattern.startsWith('!');
    const p = negated ? pattern.slice(1) : pattern;
    if (globToRegExp(p).test(name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** `SHA256:…` as `ssh-keygen -lf` prints it (base64 without padding). */
export function sha256Fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** Key type named inside an SSH public-key blob (first length-prefixed string). */
export function blobKeyType(key: Buffer): string {
  if (key.length < 4) return '';
  const n = key.readUInt32BE(0);
  return key.subarray(4, 4 + n).toString('latin1');
}

export type HostKeyVerdict =
  | { result: 'match'; fingerprint: string; line: number }
  | { result: 'unknown'; fingerprint: string }
  | { result: 'changed'; fingerprint: string; knownFingerprints: string[]; lines: number[] }
  | { result: 'revoked'; fingerprint: string; line: number };

/**
 * Check the key a server presented. A host with known keys none of which equals the presented one is `changed`
 * (also when the known keys are of another type: we never downgrade to trust-on-first-use for a known host).
 */
export function checkHostKey(entries: readonly KnownHostEntry[], host: string, port: number, key: Buffer): HostKeyVerdict {
  const fingerprint = sha256Fingerprint(key);
  const revoked = entries.find((e) => e.marker === '@revoked' && e.key.equals(key));
  if (revoked) return { result: 'revoked', fingerprint, line: revoked.line };
  const forHost = entries.filter((e) => e.marker === undefined && hostFieldMatches(e.hosts, host, port));
  const same = forHost.find((e) => e.key.equals(key));
  if (same) return { result: 'match', fingerprint, line: same.line };
  if (forHost.length === 0) return { result: 'unknown', fingerprint };
  return {
    result: 'changed',
    fingerprint,
    knownFingerprints: forHost.map((e) => `${e.keyType} ${sha256Fingerprint(e.key)}`),
    lines: forHost.map((e) => e.line),
  };
}

/** The known_hosts line to append when the user accepts a key. */
export function knownHostsLine(host: string, port: number, key: Buffer): string {
  return `${hostPattern(host, port)} ${blobKeyType(key)} ${key.toString('base64')}`;
}

/** Key types known for a host, to ask the server for one of them first (as OpenSSH does). */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  return [...new Set(entries.filter((e) => e.marker === undefined && hostFieldMatches(e.hosts, host, port)).map((e) => e.keyType))];
}
