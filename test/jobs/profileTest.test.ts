// "Test connection" of the profile editor against the real slurmrestd and sshd (what a user clicks before submitting).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { defaultBackendFactories } from '../../src/main/jobs/backendFactories';
import { ProfileEditor } from '../../src/main/jobs/profileEditor';
import { SecretStore } from '../../src/main/jobs/secretStore';

const env = inject('jobsEnv');
const dir = mkdtempSync(join(tmpdir(), 'profile-test-'));
const secrets = new SecretStore(join(dir, 'secrets'));
const editor = new ProfileEditor(join(dir, 'profiles'), secrets, defaultBackendFactories(secrets));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('profile editor: test connection on the real daemons', () => {
  it('slurm-rest with a pasted token (scontrol token) stored in main: slurmrestd answers', async () => {
    const { execFileSync } = await import('node:child_process');
    const token = execFileSync('scontrol', ['token', `username=${env.user}`, 'lifespan=300'], { encoding: 'utf8' }).trim().replace(/^SLURM_JWT=/, '');
    await editor.save('rest', { type: 'slurm-rest', baseUrl: env.restUrl, user: env.user, workRoot: env.scratchDir, pathMappings: [{ remotePrefix: env.scratchDir, localPrefix: env.scratchDir }] }, { token });
    const r = await editor.test('rest');
    expect(r).toEqual({ ok: true, message: `slurmrestd at ${env.restUrl} answered (API v0.0.38)` });
    expect(readFileSync(join(dir, 'profiles', 'rest.json'), 'utf8')).not.toContain(token);
  });

  it('slurm-ssh: logs in with host-key verification and runs sinfo; a wrong known_hosts is a clear failure', async () => {
    const base = { type: 'slurm-ssh', host: env.sshHost, port: env.sshPort, user: env.user, keyFile: join(env.sshDir, 'client_ed25519'), workRoot: env.sshWorkBase };
    await editor.save('ssh', { ...base, knownHostsFile: join(env.sshDir, 'known_hosts') });
    expect(await editor.test('ssh')).toMatchObject({ ok: true, message: expect.stringMatching(/SSH login to slurm-ssh .* works; slurm(-wlm)? 22\.05/) });
    await editor.save('ssh-unknown', { ...base, knownHostsFile: join(dir, 'empty_known_hosts') });
    expect(await editor.test('ssh-unknown')).toMatchObject({ ok: false, message: expect.stringContaining('SHA256:') });
  });
});
