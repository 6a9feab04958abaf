/** CAESAR's integer codes and labels (caesar-rest-api.md §7.2) mapped onto our vocabularies. */
import type { FitQuality, SourceType } from '../../../shared/domain/source';
import type { MorphologyLabel, SourcenessLabel } from '../../../shared/domain/labels';
import { normalizeMorphology, normalizeSourceness } from '../../../shared/domain/labels';

const MORPH_BY_CODE: Record<number, MorphologyLabel> = { 0: 'UNKNOWN', 1: 'COMPACT', 2: 'POINT-LIKE', 3: 'EXTENDED', 4: 'COMPACT-EXTENDED', 5: 'DIFFUSE' };
const FIT_BY_CODE: Record<number, FitQuality> = { [-1]: 'UNKNOWN', 0: 'BAD', 1: 'LOW', 2: 'MEDIUM', 3: 'HIGH' };

export function morphologyFromCode(code: number | undefined): MorphologyLabel {
  return (code !== undefined && MORPH_BY_CODE[code]) || 'UNKNOWN';
}

/** 1 REAL, 2 CANDIDATE, 3 fake; any other code → CANDIDATE (as CAESAR's own JSON writer). */
export function sourcenessFromCode(code: number | undefined): SourcenessLabel {
  return code === 1 ? 'REAL' : code === 3 ? 'FAKE' : 'CANDIDATE';
}

export function fitQualityFromCode(code: number | undefined): FitQuality | undefined {
  return code === undefined ? undefined : (FIT_BY_CODE[code] ?? 'UNKNOWN');
}

export function fitQualityFromLabel(label: unknown): FitQuality | undefined {
  if (typeof label !== 'string') return undefined;
  const v = label.toUpperCase();
  return v === 'BAD' || v === 'LOW' || v === 'MEDIUM' || v === 'HIGH' ? v : 'UNKNOWN';
}

export { normalizeMorphology, normalizeSourceness };

/** Island type from its morphology: extended-like morphologies are 'extended', the rest 'point'. */
export function typeFromMorphology(m: MorphologyLabel | undefined): Exclude<SourceType, 'component'> {
  return m === 'EXTENDED' || m === 'DIFFUSE' || m === 'COMPACT-EXTENDED' ? 'extended' : 'point';
}

/** `S2_N1` → parent `S2`; top-level names have none. */
export function parentName(name: string): string | undefined {
  const i = name.lastIndexOf('_N');
  return i > 0 && /^\d+$/.test(name.slice(i + 2)) ? name.slice(0, i) : undefined;
}

/** Island id shared by a top-level island and everything nested in it. */
export function topIslandName(name: string): string {
  let n = name;
  for (let p = parentName(n); p; p = parentName(n)) n = p;
  return n;
}
