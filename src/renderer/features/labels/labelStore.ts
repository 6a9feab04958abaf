import { create } from 'zustand';
import type { Vocabularies } from '../../../shared/contract/catalogues';
import { CLASS_LABELS, MORPHOLOGY_LABELS, SOURCENESS_LABELS } from '../../../shared/domain/labels';
import { call } from '../../api/client';

export type LabelMenu = 'none' | 'class' | 'morphology' | 'note';

interface LabelState {
  vocabularies: Vocabularies;
  undoDepth: number;
  redoDepth: number;
  /** What the last act did (status line), or its error. */
  last: string | null;
  error: string | null;
  /** Open picker for the focused source (m = morphology, n = note; class also by 1..9). */
  menu: LabelMenu;
  reviewOpen: boolean;
  loadVocabularies(): Promise<void>;
  setDepths(undoDepth: number, redoDepth: number): void;
  setLast(last: string | null, error?: string | null): void;
  setMenu(menu: LabelMenu): void;
  setReviewOpen(open: boolean): void;
}

export const useLabelStore = create<LabelState>()((set) => ({
  vocabularies: { sourceness: [...SOURCENESS_LABELS], class: [...CLASS_LABELS], morphology: [...MORPHOLOGY_LABELS] },
  undoDepth: 0,
  redoDepth: 0,
  last: null,
  error: null,
  menu: 'none',
  reviewOpen: false,
  async loadVocabularies() {
    try {
      set({ vocabularies: await call('labels.vocabularies', {}) });
    } catch {
      // keep the built-in vocabularies
    }
  },
  setDepths: (undoDepth, redoDepth) => set({ undoDepth, redoDepth }),
  setLast: (last, error = null) => set({ last, error }),
  setMenu: (menu) => set({ menu }),
  setReviewOpen: (reviewOpen) => set({ reviewOpen }),
}));

/** Class picked by digit keys 1..9: the vocabulary without UNKNOWN, in order. */
export function classForDigit(vocabulary: string[], digit: number): string | undefined {
  return vocabulary.filter((c) => c !== 'UNKNOWN')[digit - 1];
}

/** Screen pixels per image pixel for reviewing a source of this FWHM (≈ 120 px on screen, 2–8×). */
export function reviewZoom(majorPx: number | null): number {
  return Math.min(8, Math.max(2, majorPx && majorPx > 0 ? 120 / (4 * majorPx) : 4));
}
