// Runs a command under GNU time (`/usr/bin/time -v`) and returns its wall time, CPU time and peak RSS.
// Wall time is measured here (performance.now around the child); peak RSS is the child's
// "Maximum resident set size" as reported by the kernel through wait4().
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

export const GNU_TIME = '/usr/bin/time';

// This process holds the truth tables and has just scored a catalogue: V8 may still be marking and
// sweeping its heap on background threads, on the cores the measured finder runs on (our finder uses
// both; SExtractor one, so it suffered less: ours varied 3.7–4.2 s between runs here, 3.7–3.8 s
// without the harness). A full collection now and a pause let that finish before the clock starts.
v8.setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc');
async function quietHarness() {
  collect();
  await new Promise((resolve) => setTimeout(resolve, 300));
}

/** @returns {Promise<{code:number, wallS:number, cpuS:number, peakRssBytes:number, stdout:string, stderr:string}>} */
export async function runMeasured(cmd, args, { cwd } = {}) {
  await quietHarness();
  const timed = existsSync(GNU_TIME);
  const [file, argv] = timed ? [GNU_TIME, ['-v', cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(file, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallS = (performance.now() - t0) / 1000;
      const m = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(stderr);
      // CPU time of all the child's threads (user + system): ours runs worker threads, SExtractor one
      const user = /User time \(seconds\):\s*([\d.]+)/.exec(stderr);
      const sys = /System time \(seconds\):\s*([\d.]+)/.exec(stderr);
      const cpuS = user && sys ? Number(user[1]) + Number(sys[1]) : NaN;
      // Keep the command's own stderr: GNU time appends its report after a "Command ..." / tab-indented block.
      const own = timed ? stderr.replace(/(Command exited with non-zero status \d+\n)?\tCommand being timed:[\s\S]*$/, '') : stderr;
      resolve({ code: code ?? 1, wallS, cpuS, peakRssBytes: m ? Number(m[1]) * 1024 : NaN, stdout, stderr: own });
    });
  });
}
