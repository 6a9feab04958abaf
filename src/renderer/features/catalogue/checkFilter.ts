import { AppError } from '../../../shared/contract/errors';
import { parseFilter } from '../../../shared/filter';
import { clientFilterSchema } from '../subsets/definitionsStore';
import type { FilterProblem } from './catalogueStore';

/** Parse locally (the same parser main uses, with the catalogue's subsets and computed columns) for an immediate caret; null when the text is valid. */
export function checkFilter(text: string): FilterProblem | null {
  try {
    parseFilter(text, clientFilterSchema());
    return null;
  } catch (err) {
    if (err instanceof AppError && err.code === 'filter.parseFailed') {
      const pos = err.details?.['position'];
      return { message: err.message.split('\n')[0]!, position: typeof pos === 'number' ? pos : null };
    }
    return { message: err instanceof Error ? err.message : String(err), position: null };
  }
}

