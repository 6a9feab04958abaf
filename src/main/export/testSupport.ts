/**
 * Test support for the exporters (imported only by *.test.ts): fixture catalogues and the independent
 * Python checker (scripts/golden/catalogueCheck.py run by Debian's /usr/bin/python3).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../test/helpers/paths';
import type { Catalogue } from '../../shared/domain/source';
import { walkRows } from '../../shared/domain/source';
import type { SkyFrame } from '../../shared/domain/coords';
import { readHeaderOnly } from '../fits';
import { parseWcs, type Wcs } from '../wcs';
import { caesarIslandJsonReader } from '../catalogue/readers/caesarJson';
import { sextractorAsciiReader } from '../catalogue/readers/sextractor';
import { rowCells } from './columns';

export const PYTHON = '/usr/bin/python3';
const SCRIPT = join(REPO_ROOT, 'scripts/golden/catalogueCheck.py');
const FIX = join(REPO_ROOT, 'test/fixtures/catalogue');
export const ROT30_FITS = join(FIX, 'sextractor/rot30.fits');

export function pythonHas(modules: string[]): boolean {
  return spawnSync(PYTHON, ['-c', modules.map((m) => `import ${m}`).join(';')]).status === 0;
}

export function runCheck(args: string[]): { status: number; json: Record<string, unknown>; stderr: string } {
  const r = spawnSync(PYTHON, [SCRIPT, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(r.stdout) as Record<string, unknown>;
  } catch {
    json = { unparsed: r.stdout };
  }
  return { status: r.status ?? -1, json, stderr: r.stderr };
}

/** The WCS CAESAR's fixtures were made with (test/fixtures/catalogue/caesar/make.py). */
export function caesarFixtureWcs(): Wcs {
  return parseWcs({
    NAXIS: 2, NAXIS1: 128, NAXIS2: 128, CTYPE1: 'RA---SIN', CTYPE2: 'DEC--SIN', CRVAL1: 150, CRVAL2: -30,
    CRPIX1: 64.5, CRPIX2: 64.5, CDELT1: -2 / 3600, CDELT2: 2 / 3600,
  });
}

export async function rot30Wcs(): Promise<Wcs> {
  return parseWcs((await readHeaderOnly(ROT30_FITS)).values);
}

/** CAESAR islands with contours, nested sources, components, labels (class, tags with awkward characters). */
export async function caesarCatalogue(): Promise<Catalogue> {
  const cat = await caesarIslandJsonReader.read(join(FIX, 'caesar/catalog-field.json'), {});
  cat.sources[0]!.labels = { ...cat.sources[0]!.labels, tags: ['a<b&c', 'x,"y"', 'needs review'] };
  cat.runId = 'run-42';
  return cat;
}

export async function sextractorCatalogue(): Promise<Catalogue> {
  return sextractorAsciiReader.read(join(FIX, 'sextractor/rot30.cat'), { wcs: await rot30Wcs(), beam: { bmajArcsec: 10, bminArcsec: 8, paDeg: 0 } });
}

/** The flat table (what CSV/VOTable carry) of a catalogue, for round-trip comparison. */
export function flat(cat: Catalogue, frame: SkyFrame = cat.frame) {
  return [...walkRows(cat)].map((r) => rowCells(cat, r, frame));
}
