import { describe, expect, it } from 'vitest';
import { decodeWaitStatus, isKnownSlurmState, mapSlurmState, parseSlurmExitCode } from './slurmState';

describe('mapSlurmState', () => {
  it('maps the states of caesar-rest-api.md §6.3', () => {
    expect(mapSlurmState('PENDING')).toBe('PENDING');
    expect(mapSlurmState('SUSPENDED')).toBe('PENDING');
    expect(mapSlurmState('RUNNING')).toBe('RUNNING');
    expect(mapSlurmState('COMPLETED')).toBe('SUCCESS');
    expect(mapSlurmState('CANCELLED')).toBe('CANCELED');
    expect(mapSlurmState('FAILED')).toBe('FAILURE');
    expect(mapSlurmState('TIMEOUT')).toBe('TIMED-OUT');
    for (const s of ['NODE_FAIL', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE', 'OUT_OF_MEMORY']) expect(mapSlurmState(s)).toBe('FAILURE');
  });

  it('keeps a job that is still completing or configuring RUNNING', () => {
    expect(mapSlurmState('COMPLETING')).toBe('RUNNING');
    expect(mapSlurmState('CONFIGURING')).toBe('RUNNING');
    // v0.0.39+ arrays: base state + flags; the flag wins while it is set
    expect(mapSlurmState(['COMPLETED', 'COMPLETING'])).toBe('RUNNING');
    expect(mapSlurmState(['PENDING', 'REQUEUED'])).toBe('PENDING');
    expect(mapSlurmState(['FAILED'])).toBe('FAILURE');
  });

  it('reads sacct and squeue spellings', () => {
    expect(mapSlurmState('CANCELLED by 1001')).toBe('CANCELED');
    expect(mapSlurmState('CANCELLED+')).toBe('CANCELED');
    expect(mapSlurmState('cancelled')).toBe('CANCELED');
    expect(mapSlurmState('CD')).toBe('SUCCESS');
    expect(mapSlurmState('PD')).toBe('PENDING');
    expect(mapSlurmState('CG')).toBe('RUNNING');
    expect(mapSlurmState('TO')).toBe('TIMED-OUT');
    expect(mapSlurmState('OOM')).toBe('FAILURE');
  });

  it('treats an unknown state as terminal and says it is unknown', () => {
    expect(mapSlurmState('WHATEVER')).toBe('FAILURE');
    expect(mapSlurmState('')).toBe('FAILURE');
    expect(isKnownSlurmState('WHATEVER')).toBe(false);
    expect(isKnownSlurmState('CANCELLED by 0')).toBe(true);
  });
});

describe('exit codes', () => {
  it('decodes raw wait statuses as slurmrestd v0.0.38 reports them', () => {
    expect(decodeWaitStatus(0)).toEqual({ exitCode: 0 });
    expect(decodeWaitStatus(768)).toEqual({ exitCode: 3 }); // `exit 3` (test-infrastructure.md)
    expect(decodeWaitStatus(15)).toEqual({ exitCode: 0, signal: 15 }); // cancelled while running
    expect(decodeWaitStatus(65280)).toEqual({ exitCode: 255 });
    expect(decodeWaitStatus(9 | 0x80)).toEqual({ exitCode: 0, signal: 9 }); // core-dump bit ignored
    expect(() => decodeWaitStatus(-1)).toThrow(RangeError);
  });

  it('parses text exit codes exit:signal', () => {
    expect(parseSlurmExitCode('3:0')).toEqual({ exitCode: 3 });
    expect(parseSlurmExitCode('0:15')).toEqual({ exitCode: 0, signal: 15 });
    expect(parseSlurmExitCode(' 0:0 ')).toEqual({ exitCode: 0 });
    expect(parseSlurmExitCode('')).toBeUndefined();
    expect(parseSlurmExitCode('N/A')).toBeUndefined();
  });
});
