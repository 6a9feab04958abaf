/** Is a process still the one we started? (pid + kernel start time, so a reused pid is not mistaken for it). */
import { readFileSync } from 'node:fs';

export interface ProcessIdentity {
  pid: number;
  /** /proc/<pid>/stat field 22 (clock ticks since boot); undefined where /proc is absent. */
  startTicks?: number;
}

function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may contain spaces and parentheses: split after the LAST ')'
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

export function identify(pid: number): ProcessIdentity {
  const f = statFields(pid);
  return f ? { pid, startTicks: Number(f[19]) } : { pid };
}

/** True while the process runs (a zombie counts as ended). */
export function isAlive(id: ProcessIdentity): boolean {
  const f = statFields(id.pid);
  if (f) return f[0] !== 'Z' && f[0] !== 'X' && (id.startTicks === undefined || Number(f[19]) === id.startTicks);
  try {
    process.kill(id.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
