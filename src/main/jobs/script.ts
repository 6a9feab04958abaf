import type { JobSpec } from './types';
import { AppError } from '../../shared/contract/errors';

/** POSIX single-quote a word for sh/bash. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** In a `command` word, stands for the array task id (`$SLURM_ARRAY_TASK_ID` when the script runs). */
export const ARRAY_TASK_ID = '{{SLURM_ARRAY_TASK_ID}}';

/** Quote a word for sh, leaving ARRAY_TASK_ID as a (double-quoted) variable reference. */
export function shellWord(word: string): string {
  if (!word.includes(ARRAY_TASK_ID)) return shellQuote(word);
  return word.split(ARRAY_TASK_ID).map((piece) => (piece === '' ? '' : shellQuote(piece))).join('"$SLURM_ARRAY_TASK_ID"');
}

/** The batch script to submit: the spec's own, or `exec` of its command. */
export function renderScript(spec: JobSpec): string {
  if (spec.script !== undefined) {
    // Slurm accepts a script without #! through REST but the job then fails with ExitCode 8:0 (test-infrastructure.md)
    if (!spec.script.startsWith('#!')) throw new AppError('validation', `Job script of "${spec.name}" must start with #!`);
    return spec.script.endsWith('\n') ? spec.script : `${spec.script}\n`;
  }
  if (!spec.command || spec.command.length === 0) {
    throw new AppError('validation', `Job "${spec.name}" has neither a script nor a command`);
  }
  return `#!/bin/bash\nexec ${spec.command.map(shellWord).join(' ')}\n`;
}

export function joinRemote(dir: string, name: string): string {
  return name.startsWith('/') ? name : `${dir.replace(/\/+$/, '')}/${name}`;
}

/** stdout/stderr as submitted: the spec's, else `<workdir>/slurm-%j.out|.err` (kept apart so stderr is readable). */
export function logPatterns(spec: JobSpec): { stdout: string; stderr: string } {
  return {
    stdout: joinRemote(spec.workdir, spec.stdoutPath ?? 'slurm-%j.out'),
    stderr: joinRemote(spec.workdir, spec.stderrPath ?? 'slurm-%j.err'),
  };
}

/**
 * Expand the Slurm filename patterns we rely on: %j job id, %x job name, %% percent; for an array task also
 * %A (array job id) and %a (task id).
 */
export function expandSlurmPattern(pattern: string, jobId: string, name: string, task?: { arrayId: string; taskId: number }): string {
  return pattern.replace(/%(%|j|x|A|a)/g, (m, c: string) => {
    if (c === '%') return '%';
    if (c === 'j') return jobId;
    if (c === 'x') return name;
    if (!task) return m;
    return c === 'A' ? task.arrayId : String(task.taskId);
  });
}
