import type { CardValue, HeaderCard, HeaderCards } from '../../shared/contract/images';
import type { FitsHeader } from './types';

export const CARD_LENGTH = 80;
export const BLOCK_LENGTH = 2880;

const COMMENTARY_KEYS = new Set(['COMMENT', 'HISTORY', '']);
const STANDARD_KEY = /^[A-Z0-9_-]*$/;
const INTEGER = /^[+-]?\d+$/;
const REAL = /^[+-]?(\d+\.?\d*|\.\d+)([EeDd][+-]?\d+)?$/;
const COMPLEX = /^\(\s*[^,]+,\s*[^)]+\)$/;

/** One card image split into its parts; `kind` tells the header builder what to do with it. */
export interface ParsedCard {
  kind: 'value' | 'commentary' | 'continue' | 'end';
  card: HeaderCard;
  /** True when the value was a quoted string (needed to join CONTINUE cards). */
  isString: boolean;
  /** The value text as written (before conversion), e.g. for exact 64-bit BLANK. */
  rawValue?: string;
  warning?: string;
}

/** Parse the value field of a value card (everything after "= "). */
function parseValueField(field: string): { value?: CardValue; comment?: string; isString: boolean; raw?: string; warning?: string } {
  const start = field.search(/\S/);
  if (start < 0) return { isString: false };
  if (field[start] === "'") {
    let text = '';
    let i = start + 1;
    let closed = false;
    while (i < field.length) {
      const ch = field[i];
      if (ch === "'") {
        if (field[i + 1] === "'") {
          text += "'";
          i += 2;
          continue;
        }
        closed = true;
        i += 1;
        break;
      }
      text += ch;
      i += 1;
    }
    const rest = field.slice(i);
    const slash = rest.indexOf('/');
    const comment = slash >= 0 ? rest.slice(slash + 1).trim() : undefined;
    return {
      value: text.trimEnd(),
      comment: comment || undefined,
      isString: true,
      raw: text,
      warning: closed ? undefined : 'string value has no closing quote',
    };
  }
  const slash = field.indexOf('/');
  const valueText = (slash >= 0 ? field.slice(0, slash) : field).trim();
  const comment = slash >= 0 ? field.slice(slash + 1).trim() || undefined : undefined;
  if (valueText === '') return { comment, isString: false };
  if (valueText === 'T' || valueText === 'F') return { value: valueText === 'T', comment, isString: false, raw: valueText };
  if (INTEGER.test(valueText)) return { value: Number(valueText), comment, isString: false, raw: valueText };
  if (REAL.test(valueText)) return { value: Number(valueText.replace(/[Dd]/, 'E')), comment, isString: false, raw: valueText };
  if (COMPLEX.test(valueText)) return { value: valueText, comment, isString: false, raw: valueText };
  return { value: valueText, comment, isString: false, raw: valueText, warning: `non-standard value '${valueText}'` };
}

/** Parse one 80-character card image. Never throws: oddities come back as `warning`. */
export function parseCard(image: string): ParsedCard {
  const key8 = image.slice(0, 8).trimEnd();
  if (key8 === 'END' && image.slice(8).trim() === '') return { kind: 'end', card: { key: 'END' }, isString: false };
  if (key8 === 'HIERARCH') {
    const rest = image.slice(8);
    const eq = rest.indexOf('=');
    if (eq < 0) return { kind: 'commentary', card: { key: 'HIERARCH', comment: rest.trim() }, isString: false };
    const parsed = parseValueField(rest.slice(eq + 1));
    return cardFrom('value', rest.slice(0, eq).trim(), parsed);
  }
  if (key8 === 'CONTINUE') {
    const parsed = parseValueField(image.slice(8));
    return cardFrom('continue', 'CONTINUE', parsed);
  }
  const badKey = STANDARD_KEY.test(key8) ? undefined : `non-standard keyword '${key8}'`;
  if (COMMENTARY_KEYS.has(key8) || image.slice(8, 10) !== '= ') {
    const comment = image.slice(8).trimEnd();
    return { kind: 'commentary', card: comment ? { key: key8, comment } : { key: key8 }, isString: false, warning: badKey };
  }
  const parsed = parseValueField(image.slice(10));
  const card = cardFrom('value', key8, parsed);
  if (badKey) card.warning = card.warning ? `${badKey}; ${card.warning}` : badKey;
  return card;
}

function cardFrom(kind: 'value' | 'continue', key: string, parsed: ReturnType<typeof parseValueField>): ParsedCard {
  const card: HeaderCard = { key };
  if (parsed.value !== undefined) card.value = parsed.value;
  if (parsed.comment !== undefined) card.comment = parsed.comment;
  const out: ParsedCard = { kind, card, isString: parsed.isString };
  if (parsed.raw !== undefined) out.rawValue = parsed.raw;
  if (parsed.warning !== undefined) out.warning = parsed.warning;
  return out;
}

/** A parsed header: the `FitsHeader` plus raw value texts and the warnings met while parsing. */
export interface BuiltHeader {
  header: FitsHeader;
  rawValues: Map<string, string>;
  warnings: string[];
}

/**
 * Build a header from card images (END may be included or not). CONTINUE cards are joined into the
 * preceding string card when it ends with '&' (the FITS long-string convention).
 */
export function buildHeader(images: string[], where = 'header'): BuiltHeader {
  const cards: HeaderCard[] = [];
  const values: HeaderCards = {};
  const rawValues = new Map<string, string>();
  const warnings: string[] = [];
  let lastString: { card: HeaderCard } | null = null;
  for (let i = 0; i < images.length; i++) {
    const parsed = parseCard(images[i]!);
    if (parsed.kind === 'end') break;
    if (parsed.warning) warnings.push(`${where} card ${i + 1} (${parsed.card.key}): ${parsed.warning}`);
    if (parsed.kind === 'continue') {
      const prev = lastString?.card;
      if (prev && typeof prev.value === 'string' && prev.value.endsWith('&') && parsed.isString) {
        prev.value = prev.value.slice(0, -1) + String(parsed.card.value ?? '');
        if (parsed.card.comment) prev.comment = prev.comment ? `${prev.comment} ${parsed.card.comment}` : parsed.card.comment;
        values[prev.key] = prev.value;
        continue;
      }
      warnings.push(`${where} card ${i + 1}: CONTINUE without a preceding long string; kept as commentary`);
      cards.push({ key: 'CONTINUE', comment: images[i]!.slice(8).trimEnd() });
      lastString = null;
      continue;
    }
    cards.push(parsed.card);
    lastString = null;
    if (parsed.kind === 'value') {
      if (parsed.card.value !== undefined) values[parsed.card.key] = parsed.card.value;
      if (parsed.rawValue !== undefined) rawValues.set(parsed.card.key, parsed.rawValue);
      if (parsed.isString) lastString = { card: parsed.card };
    }
  }
  return { header: makeHeader(cards, values, images), rawValues, warnings };
}

export function makeHeader(cards: HeaderCard[], values: HeaderCards, text: string[]): FitsHeader {
  // Own properties only, so 'constructor' & co. never leak from Object.prototype.
  const get = (key: string): CardValue | undefined => {
    if (Object.hasOwn(values, key)) return values[key];
    const upper = key.toUpperCase();
    return Object.hasOwn(values, upper) ? values[upper] : undefined;
  };
  return {
    cards,
    values,
    text,
    get,
    getNumber(key) {
      const v = get(key);
      return typeof v === 'number' ? v : undefined;
    },
    getString(key) {
      const v = get(key);
      return typeof v === 'string' ? v : undefined;
    },
  };
}
