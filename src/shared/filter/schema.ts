import type { Expr } from './ast';

/**
 * The columns a filter expression (and the review table) may name. Pure data shared by the renderer
 * (validate as you type) and main (compile to SQL). Names are lower case; identifiers match case-insensitively.
 */
export type ValueKind = 'number' | 'string';

export interface FilterColumn {
  name: string;
  kind: ValueKind;
  unit: string;
  description: string;
  /** How string literals compared with this column are normalized (vocabulary terms are upper case). */
  normalize?: 'upper' | 'lower';
}

/** Table columns, in display order (catalogue.columns answers these plus the catalogue's constants). */
export const TABLE_COLUMNS: readonly FilterColumn[] = [
  { name: 'name', kind: 'string', unit: '', description: 'Source name given by the finder' },
  { name: 'ra', kind: 'number', unit: 'deg', description: 'Right ascension (catalogue frame)' },
  { name: 'dec', kind: 'number', unit: 'deg', description: 'Declination (catalogue frame)' },
  { name: 'x', kind: 'number', unit: 'px', description: 'Image x (Pixel0, 0 = centre of first pixel)' },
  { name: 'y', kind: 'number', unit: 'px', description: 'Image y (Pixel0)' },
  { name: 'peak', kind: 'number', unit: 'Jy/beam', description: 'Peak brightness' },
  { name: 'flux', kind: 'number', unit: 'Jy', description: 'Integrated flux density' },
  { name: 'flux_err', kind: 'number', unit: 'Jy', description: 'Integrated flux density error' },
  { name: 'snr', kind: 'number', unit: '', description: 'Signal-to-noise ratio' },
  { name: 'bmaj', kind: 'number', unit: 'arcsec', description: 'Fitted major axis FWHM' },
  { name: 'bmin', kind: 'number', unit: 'arcsec', description: 'Fitted minor axis FWHM' },
  { name: 'pa', kind: 'number', unit: 'deg', description: 'Position angle, east of north' },
  { name: 'type', kind: 'string', unit: '', description: "'point' or 'extended'", normalize: 'lower' },
  { name: 'island', kind: 'string', unit: '', description: 'Island id' },
  { name: 'sourceness', kind: 'string', unit: '', description: 'Label: REAL, FAKE, CANDIDATE (alias: label)', normalize: 'upper' },
  { name: 'class', kind: 'string', unit: '', description: 'Label: object class', normalize: 'upper' },
  { name: 'morphology', kind: 'string', unit: '', description: 'Label: morphology', normalize: 'upper' },
  { name: 'notes', kind: 'string', unit: '', description: 'Free-text notes' },
];

/** Further numeric columns a filter may use (not shown in the table by default). */
export const EXTRA_FILTER_COLUMNS: readonly FilterColumn[] = [
  { name: 'id', kind: 'number', unit: '', description: 'Store id of the source' },
  { name: 'peak_err', kind: 'number', unit: 'Jy/beam', description: 'Peak brightness error' },
  { name: 'ra_err', kind: 'number', unit: 'deg', description: 'RA error' },
  { name: 'dec_err', kind: 'number', unit: 'deg', description: 'Dec error' },
  { name: 'glon', kind: 'number', unit: 'deg', description: 'Galactic longitude' },
  { name: 'glat', kind: 'number', unit: 'deg', description: 'Galactic latitude' },
  { name: 'bmaj_err', kind: 'number', unit: 'arcsec', description: 'Major axis error' },
  { name: 'bmin_err', kind: 'number', unit: 'arcsec', description: 'Minor axis error' },
  { name: 'pa_err', kind: 'number', unit: 'deg', description: 'Position angle error' },
  { name: 'deconv_bmaj', kind: 'number', unit: 'arcsec', description: 'Deconvolved major axis' },
  { name: 'deconv_bmin', kind: 'number', unit: 'arcsec', description: 'Deconvolved minor axis' },
  { name: 'npix', kind: 'number', unit: '', description: 'Pixels in the island' },
  { name: 'flags', kind: 'number', unit: '', description: 'Finder flags' },
  { name: 'bkg', kind: 'number', unit: 'Jy/beam', description: 'Local background' },
  { name: 'rms', kind: 'number', unit: 'Jy/beam', description: 'Local noise' },
  { name: 'chi2', kind: 'number', unit: '', description: 'Fit chi-square' },
  { name: 'ndf', kind: 'number', unit: '', description: 'Fit degrees of freedom' },
];

/** Catalogue constants usable in expressions and shown as computed columns. */
export const CONSTANT_COLUMNS: readonly FilterColumn[] = [
  { name: 'beam_bmaj', kind: 'number', unit: 'arcsec', description: 'Restoring beam major axis (catalogue constant)' },
  { name: 'beam_bmin', kind: 'number', unit: 'arcsec', description: 'Restoring beam minor axis (catalogue constant)' },
];

export const COLUMN_ALIASES: Readonly<Record<string, string>> = { label: 'sourceness' };

/** A saved subset as a filter sees it: `subset('name')`. `members` is called once, on first evaluation. */
export interface SubsetRef {
  subsetId: number;
  members: () => ReadonlySet<number>;
}

/** A computed column: its parsed numeric definition (inlined where the name is used). */
export interface ComputedRef {
  expr: Expr;
}

/** What an expression may name: columns (per row) and constants (per catalogue; null = unknown). */
export interface FilterSchema {
  columns: ReadonlyMap<string, FilterColumn>;
  constants: ReadonlyMap<string, number | null>;
  aliases: Readonly<Record<string, string>>;
  /** Saved subsets by name (exact, case-sensitive); absent = `subset(...)` is an error. */
  subsets?: ReadonlyMap<string, SubsetRef>;
  /** Computed columns by lower-case name. */
  computed?: ReadonlyMap<string, ComputedRef>;
}

/** A computed column's name: an identifier that is not a column, constant, alias, function or keyword. */
export const COMPUTED_NAME = /^[a-z_][a-z0-9_]{0,63}$/;
const RESERVED = new Set(['and', 'or', 'not', 'in', 'is', 'null', 'subset', 'abs', 'sqrt', 'log10', 'ln', 'min', 'max']);

/** Why `name` cannot name a computed column of this schema (null = it can). */
export function computedNameProblem(name: string, schema: FilterSchema): string | null {
  if (!COMPUTED_NAME.test(name)) return `'${name}' is not a valid column name (lower-case letters, digits and _, starting with a letter)`;
  if (RESERVED.has(name)) return `'${name}' is a reserved word`;
  if (schema.columns.has(name) || schema.constants.has(name) || name in schema.aliases) return `'${name}' is already a catalogue column`;
  return null;
}

/**
 * The schema of a stored catalogue; `beam` fills beam_bmaj / beam_bmin (arcsec); `extra` adds the
 * catalogue's saved subsets and computed columns.
 */
export function catalogueFilterSchema(
  beam?: { bmajArcsec: number; bminArcsec: number },
  extra: { subsets?: ReadonlyMap<string, SubsetRef>; computed?: ReadonlyMap<string, ComputedRef> } = {},
): FilterSchema {
  const columns = new Map<string, FilterColumn>();
  for (const c of [...TABLE_COLUMNS, ...EXTRA_FILTER_COLUMNS]) columns.set(c.name, c);
  const constants = new Map<string, number | null>([
    ['beam_bmaj', beam ? beam.bmajArcsec : null],
    ['beam_bmin', beam ? beam.bminArcsec : null],
  ]);
  return { columns, constants, aliases: COLUMN_ALIASES, ...extra };
}
