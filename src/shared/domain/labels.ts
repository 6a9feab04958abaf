/**
 * Label vocabularies for sources (as in the VLVA / CIRASA labelling work). Pure: runs anywhere.
 * Vocabularies are extendable: a label outside the list is kept as given (upper case) rather than rejected,
 * because other finders (CAESAR) and future classifiers add values.
 */

export const SOURCENESS_LABELS = ['REAL', 'FAKE', 'CANDIDATE'] as const;
export const CLASS_LABELS = ['UNKNOWN', 'GALAXY', 'QSO', 'HII', 'SNR', 'PN', 'YSO', 'PULSAR', 'STAR', 'MULTI-CLASS'] as const;
export const MORPHOLOGY_LABELS = ['UNKNOWN', 'COMPACT', 'POINT-LIKE', 'EXTENDED', 'DIFFUSE', 'COMPACT-EXTENDED'] as const;

export type SourcenessLabel = (typeof SOURCENESS_LABELS)[number];
export type ClassLabel = (typeof CLASS_LABELS)[number] | (string & {});
export type MorphologyLabel = (typeof MORPHOLOGY_LABELS)[number] | (string & {});

/** One labelling act: who set which label when (ISO 8601). Kept for the history view. */
export interface LabelEvent {
  field: 'sourceness' | 'class' | 'morphology' | 'tag';
  value: string;
  by: string;
  at: string;
}

/** Labels on a source or component. All optional: absent = not labelled. */
export interface SourceLabels {
  sourceness?: SourcenessLabel;
  /** Class (one of CLASS_LABELS or an extension). */
  class?: ClassLabel;
  morphology?: MorphologyLabel;
  /** Free tags (DS9 `tag={...}`). */
  tags?: string[];
  /** Free-text notes of the reviewer. */
  notes?: string;
  history?: LabelEvent[];
}

/** Normalise a finder's sourceness spelling: CAESAR writes `FALSE` for fake sources. */
export function normalizeSourceness(value: string): SourcenessLabel {
  const v = value.trim().toUpperCase();
  if (v === 'REAL') return 'REAL';
  if (v === 'FAKE' || v === 'FALSE') return 'FAKE';
  return 'CANDIDATE';
}

/** Normalise a morphology label: CAESAR's `UNKNOWN-MORPH` is our `UNKNOWN`. */
export function normalizeMorphology(value: string): MorphologyLabel {
  const v = value.trim().toUpperCase();
  return v === 'UNKNOWN-MORPH' || v === '' ? 'UNKNOWN' : v;
}

export function normalizeClass(value: string): ClassLabel {
  const v = value.trim().toUpperCase();
  return v === '' ? 'UNKNOWN' : v;
}

/** DS9 colour per morphology (CAESAR's region colours, so files look alike side by side). */
export function morphologyColour(m: MorphologyLabel | undefined): string {
  switch (m) {
    case 'EXTENDED': return 'green';
    case 'COMPACT-EXTENDED': return 'magenta';
    case 'POINT-LIKE': return 'red';
    case 'COMPACT': return 'blue';
    case 'DIFFUSE': return 'yellow';
    default: return 'white';
  }
}

/** DS9 colour per sourceness: used when a source is labelled, overriding the morphology colour. */
export function sourcenessColour(s: SourcenessLabel | undefined): string | undefined {
  if (s === 'REAL') return 'green';
  if (s === 'FAKE') return 'red';
  if (s === 'CANDIDATE') return 'yellow';
  return undefined;
}
