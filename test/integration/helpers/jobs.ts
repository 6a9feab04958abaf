import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers/paths';
import { runCirasaInProcess } from '../../helpers/cli';
import type { JobRecord } from '../../../src/main/jobs/jobsRepo';
import type { JobService } from '../../../src/main/jobs/jobService';
import { isTerminal } from '../../../src/main/jobs/types';

/** `cirasa` from the sources (tsx), so the builtin app runs this checkout without a build. */
export const CIRASA_FROM_SOURCES = [join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), join(REPO_ROOT, 'src', 'main', 'cli.ts')];

/** `cirasa ARGS` in-process, with the output names this suite uses. */
export async function runCirasa(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await runCirasaInProcess(args);
  return { code: r.code, stdout: r.out, stderr: r.err };
}

/** Let the service's own monitor loop move a job to a terminal state. */
export async function waitTerminal(service: JobService, id: string, timeoutMs = 60_000): Promise<JobRecord> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const j = service.get(id);
    if (isTerminal(j.state)) return j;
    if (Date.now() > until) throw new Error(`job ${id} still ${j.state}: ${j.messages.join(' | ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
