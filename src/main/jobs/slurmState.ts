import type { JobState } from './types';

/**
 * Slurm job states → the service's states (caesar-rest-api.md §6.3, extended to every state Slurm 22–24 documents).
 * Base states first; flag states (COMPLETING, CONFIGURING, REQUEUED...) override the base when present because
 * the job is not really finished / started yet.
 */
const BASE: Record<string, JobState> = {
  PENDING: 'PENDING',
  SUSPENDED: 'PENDING',
  RUNNING: 'RUNNING',
  COMPLETED: 'SUCCESS',
  CANCELLED: 'CANCELED',
  FAILED: 'FAILURE',
  TIMEOUT: 'TIMED-OUT',
  NODE_FAIL: 'FAILURE',
  PREEMPTED: 'FAILURE',
  BOOT_FAIL: 'FAILURE',
  DEADLINE: 'FAILURE',
  OUT_OF_MEMORY: 'FAILURE',
  LAUNCH_FAILED: 'FAILURE',
  REVOKED: 'FAILURE',
};

const FLAGS: Record<string, JobState> = {
  COMPLETING: 'RUNNING',
  CONFIGURING: 'RUNNING',
  RESIZING: 'RUNNING',
  SIGNALING: 'RUNNING',
  STAGE_OUT: 'RUNNING',
  STOPPED: 'RUNNING',
  POWER_UP_NODE: 'RUNNING',
  REQUEUED: 'PENDING',
  REQUEUE_FED: 'PENDING',
  REQUEUE_HOLD: 'PENDING',
  RESV_DEL_HOLD: 'PENDING',
  SPECIAL_EXIT: 'PENDING',
};

/** squeue `%t` compact codes. */
const COMPACT: Record<string, string> = {
  PD: 'PENDING', R: 'RUNNING', S: 'SUSPENDED', CG: 'COMPLETING', CD: 'COMPLETED', CA: 'CANCELLED', F: 'FAILED',
  TO: 'TIMEOUT', NF: 'NODE_FAIL', PR: 'PREEMPTED', BF: 'BOOT_FAIL', DL: 'DEADLINE', OOM: 'OUT_OF_MEMORY',
  CF: 'CONFIGURING', RS: 'RESIZING', RQ: 'REQUEUED', RF: 'REQUEUE_FED', RH: 'REQUEUE_HOLD', RD: 'RESV_DEL_HOLD',
  RV: 'REVOKED', SE: 'SPECIAL_EXIT', SI: 'SIGNALING', SO: 'STAGE_OUT', ST: 'STOPPED',
};

/**
 * Normalize one native token: sacct prints `CANCELLED by 1001` and truncates to `CANCELLED+`; squeue `%t` prints
 * compact codes; REST gives upper case words.
 */
export function normalizeSlurmState(token: string): string {
  const word = token.trim().split(/\s+/)[0]?.replace(/\+$/, '').toUpperCase() ?? '';
  return COMPACT[word] ?? word;
}

/**
 * Map a Slurm state (a string as in slurmrestd ≤ v0.0.38, sacct, squeue, scontrol; or the array of base state +
 * flags of v0.0.39+) to a JobState. An unrecognized state is treated as terminal (caesar-rest's UNKNOWN) and
 * reported as FAILURE; the caller keeps the native string, which names it.
 */
export function mapSlurmState(native: string | readonly string[]): JobState {
  const words = (typeof native === 'string' ? [native] : native).map(normalizeSlurmState).filter((w) => w !== '');
  for (const w of words) if (FLAGS[w] !== undefined) return FLAGS[w];
  for (const w of words) if (BASE[w] !== undefined) return BASE[w];
  return 'FAILURE';
}

/** True when `mapSlurmState` knows every word (the FAILURE of an unknown state is a guess). */
export function isKnownSlurmState(native: string | readonly string[]): boolean {
  const words = (typeof native === 'string' ? [native] : native).map(normalizeSlurmState);
  return words.length > 0 && words.every((w) => BASE[w] !== undefined || FLAGS[w] !== undefined);
}

export interface DecodedExit {
  exitCode: number;
  /** Present when a signal ended the process. */
  signal?: number;
}

/**
 * Decode a raw wait status (slurmrestd ≤ v0.0.38 `exit_code`, e.g. 768 = exit 3; 15 = killed by SIGTERM):
 * high byte = exit code, low 7 bits = terminating signal.
 */
export function decodeWaitStatus(raw: number): DecodedExit {
  if (!Number.isInteger(raw) || raw < 0) throw new RangeError(`not a wait status: ${raw}`);
  const exitCode = (raw >> 8) & 0xff;
  const signal = raw & 0x7f;
  return signal === 0 ? { exitCode } : { exitCode, signal };
}

/** Parse Slurm's text `ExitCode=3:0` / sacct `3:0` (exit code : signal). Answers undefined for anything else. */
export function parseSlurmExitCode(text: string): DecodedExit | undefined {
  const m = /^\s*(\d+):(\d+)\s*$/.exec(text);
  if (!m) return undefined;
  const exitCode = Number(m[1]);
  const signal = Number(m[2]);
  return signal === 0 ? { exitCode } : { exitCode, signal };
}

/** Slurm task-id lists as in `array_task_string`: `2-3`, `0,2,5-7`, `0-15%4` (the throttle is dropped). */
export function parseTaskIds(text: string): number[] {
  const out: number[] = [];
  for (const part of text.replace(/%\d+$/, '').split(',')) {
    const m = /^(\d+)(?:-(\d+))?(?::(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const step = Number(m[3] ?? 1);
    for (let i = Number(m[1]); i <= Number(m[2] ?? m[1]); i += step) out.push(i);
  }
  return out;
}
