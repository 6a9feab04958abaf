import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ARRAY_TASK_ID, expandSlurmPattern, logPatterns, renderScript, shellQuote } from './script';
import { withEnvironment } from './slurm-ssh/slurmSshBackend';

describe('job scripts', () => {
  it('quotes words so bash gives them back unchanged', () => {
    const words = ['plain', "it's", 'a b', '$HOME', '`x`', 'semi;colon', '', 'new\nline'];
    const out = execFileSync('bash', ['-c', `printf '%s\\0' ${words.map(shellQuote).join(' ')}`]);
    expect(out.toString().split('\0').slice(0, -1)).toEqual(words);
  });

  it('renders a command as an exec script and refuses a script without #!', () => {
    const script = renderScript({ name: 'n', workdir: '/w', command: ['echo', 'a b', "c'd"] });
    expect(execFileSync('bash', ['-c', script]).toString()).toBe("a b c'd\n");
    expect(() => renderScript({ name: 'n', workdir: '/w', script: 'echo hi' })).toThrow(expect.objectContaining({ code: 'validation' }));
    expect(() => renderScript({ name: 'n', workdir: '/w' })).toThrow(expect.objectContaining({ code: 'validation' }));
  });

  it('defaults separate stdout/stderr files in the workdir and expands %j %x %%', () => {
    expect(logPatterns({ name: 'n', workdir: '/w/' })).toEqual({ stdout: '/w/slurm-%j.out', stderr: '/w/slurm-%j.err' });
    expect(logPatterns({ name: 'n', workdir: '/w', stdoutPath: '/abs/o', stderrPath: 'rel/e' })).toEqual({ stdout: '/abs/o', stderr: '/w/rel/e' });
    expect(expandSlurmPattern('/w/%x-%j.out%%', '12', 'find')).toBe('/w/find-12.out%');
  });

  it('puts exports after the #SBATCH block so sbatch still reads its directives', () => {
    const script = withEnvironment('#!/bin/bash\n#SBATCH -t 5\n\necho "$A $B"\n', { A: "x'y", B: '$HOME' });
    expect(script.split('\n').slice(0, 5)).toEqual(['#!/bin/bash', '#SBATCH -t 5', '', "export A='x'\\''y'", "export B='$HOME'"]);
    expect(execFileSync('bash', ['-c', script]).toString()).toBe("x'y $HOME\n");
    expect(() => withEnvironment('#!/bin/sh\n', { 'BAD-NAME': '1' })).toThrow(expect.objectContaining({ code: 'validation' }));
  });

  it('expands ARRAY_TASK_ID inside words to the task id the script runs with, and %A/%a in log paths', () => {
    const script = renderScript({ name: 'n', workdir: '/w', command: ['printf', '%s|', `part-${ARRAY_TASK_ID}.json`, `${ARRAY_TASK_ID}/4`, "it's $x"] });
    const out = execFileSync('bash', ['-c', script], { env: { ...process.env, SLURM_ARRAY_TASK_ID: '3' } }).toString();
    expect(out).toBe("part-3.json|3/4|it's $x|");
    expect(expandSlurmPattern('/w/part-%a-%A-%j.out', '57', 'n', { arrayId: '55', taskId: 2 })).toBe('/w/part-2-55-57.out');
    expect(expandSlurmPattern('/w/%a.out', '57', 'n')).toBe('/w/%a.out');
  });
});
