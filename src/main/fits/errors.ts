import { AppError, type ErrorCode } from '../../shared/contract/errors';

/** Where in a file a problem sits; every FITS error carries `file` plus whichever of these it knows. */
export interface FitsErrorPlace {
  card?: string;
  offset?: number;
  hdu?: number;
}

/** A coded FITS error whose message names the file and the card or byte offset. */
export function fitsError(code: ErrorCode, file: string, message: string, place: FitsErrorPlace = {}): AppError {
  const where: string[] = [];
  if (place.hdu !== undefined) where.push(`HDU ${place.hdu}`);
  if (place.card !== undefined) where.push(`card ${place.card}`);
  if (place.offset !== undefined) where.push(`byte offset ${place.offset}`);
  const suffix = where.length > 0 ? ` (${where.join(', ')})` : '';
  const details: Record<string, unknown> = { file };
  if (place.card !== undefined) details.card = place.card;
  if (place.offset !== undefined) details.offset = place.offset;
  if (place.hdu !== undefined) details.hdu = place.hdu;
  return new AppError(code, `${file}: ${message}${suffix}`, details);
}
