import { describe, expect, it } from 'vitest';
import { builtinApp } from '../apps/builtinApp';
import { AppRegistry } from '../apps/registry';
import { AppError } from '../../shared/contract/errors';
import { AppResolver } from './appResolver';
import type { BackendProfile } from './profiles';
import type { JobBackend } from './types';

const caesar: BackendProfile = { type: 'caesar-rest', url: 'http://svc.example:8080' };
const described = { thr: { mandatory: false, type: 'float', description: 'threshold', advanced: 0, category: 'X', subcategory: '', enum: false, default: 5, min: 1, max: 9 } };

/** A stand-in for CaesarRestBackend: counts GET /apps, can be made to fail. */
function fakeService(names: string[]) {
  const s = { calls: 0, fail: false as false | AppError };
  const backend = {
    client: {
      apps: async () => {
        s.calls++;
        if (s.fail) throw s.fail;
        return names;
      },
      describe: async () => described,
    },
  } as unknown as JobBackend;
  return { s, backendFor: async () => backend };
}

describe('AppResolver', () => {
  it('a caesar-rest profile: the service app first, with its schema; reused within the TTL, asked again after', async () => {
    const { s, backendFor } = fakeService(['builtin', 'aegean']);
    let t = 0;
    const r = new AppResolver(new AppRegistry([builtinApp]), backendFor, 1000, () => t);
    const aegean = await r.forSubmit('aegean', caesar);
    expect(aegean.optionsSchema.properties.thr).toMatchObject({ type: 'number', default: 5, minimum: 1, maximum: 9 });
    // the service's builtin (its describe), not the local one
    expect((await r.forSubmit('builtin', caesar)).optionsSchema.properties.thr).toBeDefined();
    expect(s.calls).toBe(1);
    t = 1500;
    await r.forSubmit('aegean', caesar);
    expect(s.calls).toBe(2);
  });

  it('other profiles use the local registry only', async () => {
    const { s, backendFor } = fakeService(['aegean']);
    const r = new AppResolver(new AppRegistry([builtinApp]), backendFor);
    expect(await r.forSubmit('builtin', { type: 'local' })).toBe(builtinApp);
    await expect(r.forSubmit('aegean', { type: 'local' })).rejects.toMatchObject({ code: 'validation' });
    expect(s.calls).toBe(0);
  });

  it('an unreachable service: a local app still serves, a remote-only one gets the service error; failures are not cached', async () => {
    const { s, backendFor } = fakeService(['aegean']);
    s.fail = new AppError('jobs.backendUnreachable', 'connect ECONNREFUSED');
    const r = new AppResolver(new AppRegistry([builtinApp]), backendFor);
    expect(await r.forSubmit('builtin', caesar)).toBe(builtinApp);
    await expect(r.forSubmit('aegean', caesar)).rejects.toMatchObject({ code: 'jobs.backendUnreachable' });
    s.fail = false;
    expect((await r.forSubmit('aegean', caesar)).id).toBe('aegean');
  });

  it('a submitted job of a remote-only app resolves without asking the service (restart, offline)', () => {
    const r = new AppResolver(new AppRegistry([builtinApp]), async () => {
      throw new Error('must not be asked');
    });
    const app = r.forJob({ app: 'aegean', profile: caesar });
    expect(app.id).toBe('aegean');
    expect(typeof app.readOutputs).toBe('function');
    expect(r.forJob({ app: 'builtin', profile: caesar })).toBe(builtinApp);
    expect(() => r.forJob({ app: 'aegean', profile: { type: 'local' } })).toThrow(/Unknown finder app/);
  });
});
