import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of this repository (works wherever the checkout is: CI clones it to a fresh folder). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');

/**
 * The shared real radio images (../shared/data/real beside the checkout; see PROVENANCE.md there).
 * CIRASA_REAL_DATA overrides it.
 */
export const REAL_DATA_DIR = process.env.CIRASA_REAL_DATA ?? join(REPO_ROOT, '..', 'shared', 'data', 'real');

export function realImage(name: string): string {
  return join(REAL_DATA_DIR, name);
}
