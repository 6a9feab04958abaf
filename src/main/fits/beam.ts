import type { Beam } from '../../shared/contract/images';
import type { FitsHeader } from './types';

const NUM = '([-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[EeDd][-+]?\\d+)?)';
/** AIPS writes the restoring beam only in HISTORY: `AIPS   CLEAN BMAJ=  6.1111E-03 BMIN=  6.1111E-03 BPA=   0.00`. */
const HISTORY_BEAM = new RegExp(`BMAJ\\s*=\\s*${NUM}\\s+BMIN\\s*=\\s*${NUM}\\s+BPA\\s*=\\s*${NUM}`, 'i');

function num(text: string): number {
  return Number(text.replace(/[Dd]/, 'E'));
}

function positive(v: number | undefined): v is number {
  return v !== undefined && Number.isFinite(v) && v > 0;
}

/**
 * The restoring beam (degrees, PA east of north) from BMAJ/BMIN/BPA (BPA defaults to 0), else
 * CLEANBMJ/CLEANBMN/CLEANBPA (Obit), else the last AIPS HISTORY line naming BMAJ/BMIN/BPA.
 */
export function findBeam(header: FitsHeader): Beam | null {
  const bmaj = header.getNumber('BMAJ');
  const bmin = header.getNumber('BMIN');
  if (positive(bmaj) && positive(bmin)) return { bmajDeg: bmaj, bminDeg: bmin, bpaDeg: header.getNumber('BPA') ?? 0, source: 'BMAJ' };
  const cmaj = header.getNumber('CLEANBMJ');
  const cmin = header.getNumber('CLEANBMN');
  if (positive(cmaj) && positive(cmin)) return { bmajDeg: cmaj, bminDeg: cmin, bpaDeg: header.getNumber('CLEANBPA') ?? 0, source: 'CLEANBMJ' };
  let found: Beam | null = null;
  for (const card of header.cards) {
    if (card.key !== 'HISTORY' || !card.comment) continue;
    const m = HISTORY_BEAM.exec(card.comment);
    if (!m) continue;
    const [maj, min, pa] = [num(m[1]!), num(m[2]!), num(m[3]!)];
    // Later CLEAN runs supersede earlier ones, so the last valid line wins.
    if (positive(maj) && positive(min) && Number.isFinite(pa)) found = { bmajDeg: maj, bminDeg: min, bpaDeg: pa, source: 'HISTORY' };
  }
  return found;
}
