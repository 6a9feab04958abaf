import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KeyFileTokenSource, StaticTokenSource, jwtExpiry, signSlurmJwt } from './jwt';

const dir = mkdtempSync(join(tmpdir(), 'jwt-test-'));
const key = Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex');
const keyFile = join(dir, 'jwt_hs256.key');
writeFileSync(keyFile, key);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('signSlurmJwt', () => {
  it('matches an HMAC-SHA256 computed by openssl over header.payload (the recipe of test-infrastructure.md)', () => {
    const token = signSlurmJwt(key, 'astro', 1_700_000_000, 600);
    const [h, p, sig] = token.split('.');
    expect(JSON.parse(Buffer.from(h!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(JSON.parse(Buffer.from(p!, 'base64url').toString())).toEqual({ exp: 1_700_000_600, iat: 1_700_000_000, sun: 'astro' });
    const reference = execFileSync('openssl', ['dgst', '-sha256', '-mac', 'HMAC', '-macopt', `hexkey:${key.toString('hex')}`, '-binary'], {
      input: `${h}.${p}`,
    });
    expect(sig).toBe(reference.toString('base64url'));
    expect(jwtExpiry(token)).toBe(1_700_000_600);
    expect(jwtExpiry('not-a-jwt')).toBeUndefined();
  });
});

describe('KeyFileTokenSource', () => {
  it('reuses a token until it is close to expiry, then signs a new one', async () => {
    let now = 1_000;
    const src = new KeyFileTokenSource({ keyFile, user: 'astro', lifetimeSeconds: 100, renewBeforeSeconds: 20, now: () => now });
    const a = await src.token();
    now = 1_079; // 21 s left
    expect(await src.token()).toBe(a);
    now = 1_081; // 19 s left: renew
    const b = await src.token();
    expect(b).not.toBe(a);
    expect(jwtExpiry(b)).toBe(1_181);
    expect(src.signedCount).toBe(2);
    expect(src.invalidate()).toBe(true);
    await src.token();
    expect(src.signedCount).toBe(3);
  });

  it('refuses a missing key file with jobs.authFailed naming the file', async () => {
    const src = new KeyFileTokenSource({ keyFile: join(dir, 'nope.key'), user: 'astro' });
    await expect(src.token()).rejects.toMatchObject({ code: 'jobs.authFailed', message: expect.stringContaining('nope.key') });
  });
});

describe('StaticTokenSource', () => {
  it('passes a pasted token through and refuses it once expired, without a retry', async () => {
    const token = signSlurmJwt(key, 'astro', 1_000, 100);
    expect(await new StaticTokenSource(token, () => 1_050).token()).toBe(token);
    const expired = new StaticTokenSource(token, () => 1_100);
    await expect(expired.token()).rejects.toMatchObject({ code: 'jobs.authFailed', message: expect.stringContaining('expired') });
    expect(expired.invalidate()).toBe(false);
  });
});
