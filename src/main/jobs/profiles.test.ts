import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/contract/errors';
import { describeProfile, parseProfile } from './profiles';

function error(raw: unknown): AppError {
  try {
    parseProfile(raw, 'p.json');
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected an error');
}

describe('backend profiles', () => {
  it('accepts each type with its settings', () => {
    expect(parseProfile({ type: 'local', cpus: 2, memoryMb: 4096 })).toEqual({ type: 'local', cpus: 2, memoryMb: 4096 });
    const rest = parseProfile({ type: 'slurm-rest', baseUrl: 'http://127.0.0.1:6820', user: 'astro', keyFile: '/k', workRoot: '/scratch', pathMappings: [{ remotePrefix: '/scratch', localPrefix: '/mnt/s' }] });
    expect(describeProfile(rest)).toBe('slurm-rest astro@http://127.0.0.1:6820');
    expect(parseProfile({ type: 'slurm-ssh', host: 'h', user: 'u', useAgent: true, knownHostsFile: '/kh', workRoot: '/w' }).type).toBe('slurm-ssh');
  });
  it('refuses inline secrets without echoing them', () => {
    const e = error({ type: 'slurm-rest', token: 'eyJSECRET', baseUrl: 'http://x', user: 'u', workRoot: '/w', pathMappings: [] });
    expect(e.code).toBe('validation');
    expect(e.message).toContain('name a file instead');
    expect(JSON.stringify(e.toJSON())).not.toContain('eyJSECRET');
  });
  it('names bad fields and impossible combinations', () => {
    expect(error({ type: 'cloud' }).message).toContain('p.json: bad backend profile');
    expect(error({ type: 'local', cpus: 0 }).message).toContain('cpus');
    expect(error({ type: 'slurm-rest', baseUrl: 'http://x', user: 'u', workRoot: '/w', pathMappings: [{ remotePrefix: '/w', localPrefix: '/w' }] }).message).toContain('exactly one of keyFile, tokenFile or a stored token');
    expect(error({ type: 'slurm-ssh', host: 'h', user: 'u', knownHostsFile: '/kh', workRoot: '/w' }).message).toContain('keyFile or useAgent');
    const rest = { type: 'slurm-rest', baseUrl: 'http://x', user: 'u', keyFile: '/k', workRoot: '/w' };
    expect(error(rest).message).toContain('exactly one of pathMappings (shared file system) or sftpHost');
    expect(error({ ...rest, sftpHost: 'login', pathMappings: [{ remotePrefix: '/w', localPrefix: '/w' }] }).message).toContain('exactly one of pathMappings');
    expect(error({ ...rest, sftpHost: 'login' }).message).toContain('sftpKnownHostsFile');
  });
});
