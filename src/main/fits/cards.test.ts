import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildHeader, parseCard } from './cards';
import { readHeaderOnly } from './image';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/fits', import.meta.url));
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8'));
const card = (text: string): string => text.padEnd(80);

describe('parseCard', () => {
  it('reads strings with doubled quotes, keeping leading and dropping trailing blanks', () => {
    const p = parseCard(card("OBJECT  = '  it''s M31   ' / the target"));
    expect(p.card).toEqual({ key: 'OBJECT', value: "  it's M31", comment: 'the target' });
    expect(p.isString).toBe(true);
  });

  it('keeps a slash inside a string and reads an empty string', () => {
    expect(parseCard(card("PATH    = 'a/b/c'   / dir")).card).toEqual({ key: 'PATH', value: 'a/b/c', comment: 'dir' });
    expect(parseCard(card("EMPTY   = ''")).card.value).toBe('');
  });

  it('reads logicals, integers and reals including a D exponent', () => {
    expect(parseCard(card('SIMPLE  =                    T')).card.value).toBe(true);
    expect(parseCard(card('EXTEND  =                    F / no')).card).toEqual({ key: 'EXTEND', value: false, comment: 'no' });
    expect(parseCard(card('NAXIS1  =                 -512')).card.value).toBe(-512);
    expect(parseCard(card('CDELT1  =         -1.5000E-03')).card.value).toBe(-1.5e-3);
    expect(parseCard(card('CRVAL1  =          2.5D+02 / deg')).card.value).toBe(250);
    expect(parseCard(card('CRVAL2  =                 .5')).card.value).toBe(0.5);
  });

  it('reads HIERARCH keywords without the prefix', () => {
    const p = parseCard(card("HIERARCH ESO DET CHIP NAME = 'CCD-42' / chip"));
    expect(p.card).toEqual({ key: 'ESO DET CHIP NAME', value: 'CCD-42', comment: 'chip' });
  });

  it('treats COMMENT, HISTORY, blank keywords and cards without "= " as commentary', () => {
    expect(parseCard(card('COMMENT   just text = not a value')).card).toEqual({ key: 'COMMENT', comment: '  just text = not a value' });
    expect(parseCard(card('HISTORY AIPS   CLEAN BMAJ=  6.1111E-03')).kind).toBe('commentary');
    expect(parseCard(card('')).card).toEqual({ key: '' });
    expect(parseCard(card('        some text')).card).toEqual({ key: '', comment: 'some text' });
    expect(parseCard(card('NOVALUE   x = 3')).kind).toBe('commentary');
  });

  it('reads an undefined value, recognises END and flags non-standard values', () => {
    expect(parseCard(card('UNDEF   =          / nothing')).card).toEqual({ key: 'UNDEF', comment: 'nothing' });
    expect(parseCard(card('END')).kind).toBe('end');
    expect(parseCard(card('ENDX    =                    1')).kind).toBe('value');
    const odd = parseCard(card('ODD     = 12abc'));
    expect(odd.card.value).toBe('12abc');
    expect(odd.warning).toMatch(/non-standard value/);
    expect(parseCard(card('lower   =                    1')).warning).toMatch(/non-standard keyword/);
  });
});

describe('buildHeader', () => {
  it('joins CONTINUE cards of a long string (blanks before & are kept) and their comments', () => {
    const { header, warnings } = buildHeader([
      card("LONG    = 'first part &' / c1"),
      card("CONTINUE  'second&'"),
      card("CONTINUE  ' third' / c2"),
      card('NEXT    =                    1'),
      card('END'),
    ]);
    expect(header.getString('LONG')).toBe('first part second third');
    expect(header.cards.map((c) => c.key)).toEqual(['LONG', 'NEXT']);
    expect(header.cards[0]!.comment).toBe('c1 c2');
    expect(warnings).toEqual([]);
  });

  it('keeps an orphan CONTINUE as commentary with a warning; last duplicate wins', () => {
    const { header, warnings } = buildHeader([card('A       =                    1'), card("CONTINUE  'x'"), card('A       =                    2')]);
    expect(header.getNumber('A')).toBe(2);
    expect(header.cards.map((c) => c.key)).toEqual(['A', 'CONTINUE', 'A']);
    expect(warnings[0]).toMatch(/CONTINUE/);
  });

  it('looks keys up case-insensitively but never returns Object.prototype members', () => {
    const { header } = buildHeader([card("BUNIT   = 'JY/BEAM'")]);
    expect(header.getString('bunit')).toBe('JY/BEAM');
    expect(header.get('constructor')).toBeUndefined();
    expect(header.getNumber('BUNIT')).toBeUndefined();
  });
});

describe('header fixture written by astropy (END in the second 2880-byte block)', () => {
  it('gives the same keyword values, commentary and card count as astropy', async () => {
    const want = expected['header.fits'];
    const header = await readHeaderOnly(join(FIXTURES, 'header.fits'));
    for (const [key, value] of Object.entries(want.values as Record<string, unknown>)) {
      const got = header.get(key);
      if (key === 'LONGSTR') expect(got).toBe(want.longstrWritten);
      else if (value === null) expect(got, key).toBeUndefined();
      else expect(got, key).toEqual(value);
    }
    expect(header.cards.filter((c) => c.key === 'COMMENT').map((c) => c.comment)).toEqual(want.comments);
    expect(header.cards.filter((c) => c.key === 'HISTORY').map((c) => c.comment)).toEqual(want.history);
    expect(header.cards.length).toBe(want.ncards);
    expect(header.text.length).toBeGreaterThan(36);
    expect(header.text.at(-1)!.trimEnd()).toBe('END');
    expect(header.text.every((t) => t.length === 80)).toBe(true);
  });
});
