import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../shared/contract/errors';

/** Local path of an expected output; throws `jobs.outputsMissing` naming it (and the app) when absent or empty. */
export async function requireOutput(appId: string, outDir: string, name: string): Promise<string> {
  const path = join(outDir, name);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    throw new AppError('jobs.outputsMissing', `${appId}: expected output ${path} was not written`, { app: appId, file: path });
  }
  if (size === 0) throw new AppError('jobs.outputsMissing', `${appId}: output ${path} is empty`, { app: appId, file: path });
  return path;
}
