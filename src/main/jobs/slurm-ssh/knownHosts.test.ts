import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blobKeyType, checkHostKey, hostFieldMatches, knownHostsLine, parseKnownHosts, sha256Fingerprint } from './knownHosts';

// Real keys and known_hosts produced by OpenSSH's ssh-keygen (the independent reference for hashing and fingerprints).
const dir = mkdtempSync(join(tmpdir(), 'knownhosts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function keygen(name: string): { blob: Buffer; fingerprint: string } {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, name), '-C', name]);
  const pub = readFileSync(join(dir, `${name}.pub`), 'utf8').trim().split(/\s+/);
  const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, `${name}.pub`)], { encoding: 'utf8' }).split(/\s+/)[1]!;
  return { blob: Buffer.from(pub[1]!, 'base64'), fingerprint };
}
const a = keygen('a');
const b = keygen('b');
const pubA = readFileSync(join(dir, 'a.pub'), 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');

describe('known_hosts', () => {
  it('computes the SHA256 fingerprint ssh-keygen prints', () => {
    expect(sha256Fingerprint(a.blob)).toBe(a.fingerprint);
    expect(blobKeyType(a.blob)).toBe('ssh-ed25519');
  });

  it('matches plain entries with ports, lists, globs and negation', () => {
    const e = parseKnownHosts(`# comment\n[127.0.0.1]:2222,login.example ${pubA}\n`);
    expect(checkHostKey(e, '127.0.0.1', 2222, a.blob)).toMatchObject({ result: 'match', line: 2 });
    expect(checkHostKey(e, 'login.example', 22, a.blob).result).toBe('match');
    expect(checkHostKey(e, '127.0.0.1', 22, a.blob).result).toBe('unknown'); // port 22 is a different entry
    expect(hostFieldMatches('*.example,!bad.example', 'good.example', 22)).toBe(true);
    expect(hostFieldMatches('*.example,!bad.example', 'bad.example', 22)).toBe(false);
  });

  it('matches entries hashed by ssh-keygen -H', () => {
    const file = join(dir, 'kh');
    writeFileSync(file, `[127.0.0.1]:2222 ${pubA}\nlogin.example ${pubA}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const hashed = readFileSync(file, 'utf8');
    expect(hashed).not.toContain('127.0.0.1');
    const e = parseKnownHosts(hashed);
    expect(checkHostKey(e, '127.0.0.1', 2222, a.blob).result).toBe('match');
    expect(checkHostKey(e, 'login.example', 22, a.blob).result).toBe('match');
    expect(checkHostKey(e, 'other.example', 22, a.blob).result).toBe('unknown');
  });

  it('reports an unknown host with the fingerprint and a changed key with the known ones', () => {
    const e = parseKnownHosts(`[127.0.0.1]:2222 ${pubA}\n`);
    expect(checkHostKey(e, 'new.example', 22, b.blob)).toEqual({ result: 'unknown', fingerprint: b.fingerprint });
    expect(checkHostKey(e, '127.0.0.1', 2222, b.blob)).toEqual({
      result: 'changed', fingerprint: b.fingerprint, knownFingerprints: [`ssh-ed25519 ${a.fingerprint}`], lines: [1],
    });
  });

  it('refuses a revoked key even for a matching host', () => {
    const e = parseKnownHosts(`[127.0.0.1]:2222 ${pubA}\n@revoked * ${pubA}\n`);
    expect(checkHostKey(e, '127.0.0.1', 2222, a.blob)).toMatchObject({ result: 'revoked', line: 2 });
  });

  it('writes a line that ssh-keygen -F finds', () => {
    const file = join(dir, 'kh2');
    writeFileSync(file, `${knownHostsLine('127.0.0.1', 2222, a.blob)}\n`);
    expect(execFileSync('ssh-keygen', ['-F', '[127.0.0.1]:2222', '-f', file], { encoding: 'utf8' })).toContain('ssh-ed25519');
  });
});
