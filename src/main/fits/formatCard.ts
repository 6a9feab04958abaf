import { AppError } from '../../shared/contract/errors';
import type { CardValue, HeaderCard } from '../../shared/contract/images';
import { CARD_LENGTH } from './cards';

const COMMENTARY = new Set(['COMMENT', 'HISTORY', '']);
const STANDARD_KEY = /^[A-Z0-9_-]{0,8}$/;
/** Characters of a string value per card when it is split over CONTINUE cards (leaves room for quotes and '&'). */
const CHUNK = 67;

function pad(text: string): string {
  return text.length >= CARD_LENGTH ? text.slice(0, CARD_LENGTH) : text + ' '.repeat(CARD_LENGTH - text.length);
}

/**
 * A number as FITS text: the shortest text that reads back to the same double, with an E exponent.
 * Fixed format (right-justified to column 30) needs <= 20 characters; longer reals stay exact and
 * are written free-format, which FITS allows for non-mandatory keywords (WCS values need every digit).
 */
function formatNumber(key: string, n: number): string {
  if (!Number.isFinite(n)) throw new AppError('validation', `card ${key}: FITS cannot store the value ${n}`, { card: key });
  if (Number.isInteger(n) && Math.abs(n) < 1e19) return String(n);
  let text = String(n).toUpperCase();
  if (!/[.E]/.test(text)) text += '.0';
  if (text.length > 20) {
    const exp = n.toExponential().toUpperCase();
    if (exp.length < text.length) text = exp;
  }
  return text;
}

function formatValue(key: string, value: CardValue): string {
  if (typeof value === 'boolean') return (value ? 'T' : 'F').padStart(20);
  if (typeof value === 'number') return formatNumber(key, value).padStart(20);
  const quoted = `'${value.replace(/'/g, "''").padEnd(8)}'`;
  return quoted.padEnd(20);
}

function withComment(body: string, comment: string | undefined): string {
  if (!comment) return pad(body);
  const text = `${body} / ${comment}`;
  return pad(text);
}

/** Split `text` so that no chunk ends inside a doubled quote once escaped. */
function splitLongString(text: string): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > 0) {
    let take = Math.min(rest.length, CHUNK);
    let escaped = rest.slice(0, take).replace(/'/g, "''");
    while (escaped.length > CHUNK) {
      take--;
      escaped = rest.slice(0, take).replace(/'/g, "''");
    }
    chunks.push(rest.slice(0, take));
    rest = rest.slice(take);
  }
  return chunks;
}

/**
 * The 80-character card image(s) of a card. Long strings become a string ending in '&' plus CONTINUE
 * cards; long commentary text becomes several commentary cards; a keyword that is longer than 8
 * characters or not upper-case A-Z0-9_- is written with HIERARCH. The result's length is a multiple of 80.
 */
export function formatCard(card: HeaderCard): string {
  const { key, value, comment } = card;
  if (COMMENTARY.has(key) && value === undefined) {
    const text = comment ?? '';
    const lines: string[] = [];
    for (let i = 0; i === 0 || i < text.length; i += 72) lines.push(pad(key.padEnd(8) + text.slice(i, i + 72)));
    return lines.join('');
  }
  const hierarch = !STANDARD_KEY.test(key);
  const prefix = hierarch ? `HIERARCH ${key} = ` : `${key.padEnd(8)}= `;
  if (hierarch && prefix.length > 70) throw new AppError('validation', `card ${key}: keyword too long for a HIERARCH card`, { card: key });
  if (value === undefined) return withComment(prefix.trimEnd().padEnd(30), comment);
  if (typeof value === 'string' && prefix.length + value.replace(/'/g, "''").length + 2 > CARD_LENGTH) {
    const chunks = splitLongString(value);
    const images = chunks.map((chunk, i) => {
      const last = i === chunks.length - 1;
      const body = `'${chunk.replace(/'/g, "''")}${last ? '' : '&'}'`;
      const head = i === 0 ? prefix : 'CONTINUE  ';
      return last && comment && head.length + body.length + 3 + comment.length <= CARD_LENGTH
        ? withComment(head + body, comment)
        : pad(head + body);
    });
    return images.join('');
  }
  const text = hierarch ? prefix + formatValue(key, value).trim() : prefix + formatValue(key, value);
  return withComment(text, comment);
}
