import { AppError } from '../../../shared/contract/errors';
import { catalogueFilterSchema, parseFilter } from '../../../shared/filter';
import type { FilterProblem } from './catalogueStore';

const SCHEMA = catalogueFilterSchema();

/** Parse locally (the same parser main uses) for an immediate caret; null when the text is valid. */
export function checkFilter(text: string): FilterProblem | null {
  try {
    parseFilter(text, SCHEMA);
    return null;
  } catch (err) {
    if (err instanceof AppError && err.code === 'filter.parseFailed') {
      const pos = err.details?.['position'];
      return { message: err.message.split('\n')[0]!, position: typeof pos === 'number' ? pos : null };
    }
    return { message: err instanceof Error ? err.message : String(err), position: null };
  }
}

