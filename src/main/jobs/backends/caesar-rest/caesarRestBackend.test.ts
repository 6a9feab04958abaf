import { describe, expect, it } from 'vitest';
import { mapCaesarRestState, toJobInputs } from './caesarRestBackend';

describe('caesar-rest states (api §6) onto ours', () => {
  it('keeps the service states, exit codes and signals', () => {
    expect(mapCaesarRestState({ state: 'PENDING', status: 'Job submitted', exit_code: -1 })).toEqual({ state: 'PENDING', native: 'PENDING', reason: 'Job submitted' });
    expect(mapCaesarRestState({ state: 'SUCCESS', status: 'Process terminated with success', exit_code: 0 })).toMatchObject({ state: 'SUCCESS', exitCode: 0 });
    expect(mapCaesarRestState({ state: 'FAILURE', status: 'Process terminated with return code 3', exit_code: 3 })).toMatchObject({ state: 'FAILURE', exitCode: 3 });
    // Celery: killed by signal s → exit_code -s
    const killed = mapCaesarRestState({ state: 'FAILURE', status: 'Process terminated with SIG -9', exit_code: -9 });
    expect(killed.signal).toBe(9);
    expect(killed.exitCode).toBeUndefined();
    expect(mapCaesarRestState({ state: 'TIMED-OUT', status: 'Task exceeded time limits', exit_code: -1 }).state).toBe('TIMED-OUT');
    expect(mapCaesarRestState({ state: 'CANCELED', status: 'Job canceled by user', exit_code: -1 }).state).toBe('CANCELED');
  });

  it('CLEARED, UNKNOWN and unseen states are terminal failures that keep the native state', () => {
    for (const s of ['CLEARED', 'UNKNOWN', 'SOMETHING-NEW']) {
      const m = mapCaesarRestState({ state: s, status: 'x', exit_code: '' as unknown as number });
      expect(m).toMatchObject({ state: 'FAILURE', native: s });
      expect(m.reason).toContain(s);
    }
  });

  it('job_inputs leave out null/undefined and keep false flags (the service omits them itself)', () => {
    expect(toJobInputs({ a: 1, b: false, c: null, d: undefined, e: 'Median' })).toEqual({ a: 1, b: false, e: 'Median' });
  });
});
