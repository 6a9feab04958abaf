import { z } from 'zod';
import { method, type MethodSpec } from './define';
import type { DirEntry, ImageInfo, PixelValue, RecentFile } from './images';
import type {
  CatalogueSummary, ColumnInfo, CsvPreview, ExportResult, FilterIdsResult, QueryResult, ReviewQueue, SourceDetail, UndoDepths,
  UndoResult, Vocabularies,
} from './catalogues';
import type { FinderAppInfo, JobInfo, JobLogsInfo, JobPresetInfo, ProfileDetails, ProfileInfo, ProfileTestResult } from './jobs';
import type { ComputedColumn, SessionLoadResult, SessionSaveResult, SubsetInfo } from './session';
import type { CaesarRestAccounting } from './caesarRest';


const imageId = z.string().min(1).max(512);
const filePath = z.string().min(1).max(4096);
const catalogueId = z.number().int().min(1);
const sourceId = z.number().int().min(1);
/** A filter expression (src/shared/filter), e.g. `snr > 7 && label != 'FAKE'`. Empty = everything. */
const filterExpr = z.string().max(10_000);
const jobId = z.string().min(1).max(128);
const presetName = z.string().min(1).max(128);
/** A profile file name: letters, digits, dot, dash, underscore. */
const profileName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/);
const labelField = z.enum(['sourceness', 'class', 'morphology', 'notes']);
const coord = z.number().finite();
/** A shape drawn on the image (DrawnShape in session.ts), Pixel0. */
const csvColumn = z.string().min(1).max(256);
const csvFluxUnit = z.enum(['Jy', 'mJy', 'uJy']);
const csvMapping = z
  .object({
    position: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('sky'), ra: csvColumn, dec: csvColumn }).strict(),
      z.object({ kind: z.literal('pixel'), x: csvColumn, y: csvColumn, base: z.union([z.literal(0), z.literal(1)]) }).strict(),
    ]),
    name: csvColumn.optional(),
    flux: csvColumn.optional(),
    fluxUnit: csvFluxUnit.optional(),
    peak: csvColumn.optional(),
    peakUnit: csvFluxUnit.optional(),
    snr: csvColumn.optional(),
    bmaj: csvColumn.optional(),
    bmin: csvColumn.optional(),
    sizeUnit: z.enum(['arcsec', 'arcmin', 'deg', 'px']).optional(),
    pa: csvColumn.optional(),
  })
  .strict();
const drawnShape = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('polygon'), points: z.array(z.tuple([coord, coord])).min(3).max(100_000), exclude: z.boolean().optional() }).strict(),
  z.object({
    kind: z.literal('box'), x: coord, y: coord, width: coord.nonnegative(), height: coord.nonnegative(), angleDeg: coord.optional(),
    exclude: z.boolean().optional(),
  }).strict(),
  z.object({ kind: z.literal('circle'), x: coord, y: coord, radius: coord.nonnegative(), exclude: z.boolean().optional() }).strict(),
]);
/** What the renderer adds to a session file (session.ts SessionState): view, display, styles, filter. */
const sessionState = z.object({
  image: z.object({ path: filePath, hdu: z.number().int().min(0).max(10_000).optional(), plane: z.array(z.number().int().min(0)).max(8).optional() }).strict().optional(),
  view: z.object({ centre: z.object({ x: coord, y: coord }).strict(), zoom: z.number().finite().positive() }).strict().optional(),
  display: z.record(z.string(), z.unknown()).optional(),
  catalogues: z.array(z.object({ catalogueId, style: z.record(z.string(), z.unknown()).optional() }).strict()).max(1000).optional(),
  activeCatalogueId: catalogueId.nullable().optional(),
  filter: filterExpr.optional(),
}).strict();
const subsetName = z.string().min(1).max(128);
const columnName = z.string().min(1).max(64);

/**
 * The method table: every capability of the app, reached through Electron IPC, HTTP and the CLI.
 * No channel or route name is written by hand anywhere else; the transports walk this table.
 */
export const api = {
  'app.info': method<{ version: string; mode: 'desktop' | 'web'; sampleImagePath: string | null; homeDir: string }>()(
    z.object({}).strict(),
    'Version, transport mode and the path of the bundled sample image (generated on first use).',
  ),
  'fits.open': method<ImageInfo>()(
    z
      .object({
        path: filePath,
        /** 0-based HDU; default: the first HDU holding an image. */
        hdu: z.number().int().min(0).max(10_000).optional(),
        /** 0-based index along each axis beyond the second (cube channel, Stokes). Default all 0. */
        plane: z.array(z.number().int().min(0)).max(8).optional(),
      })
      .strict(),
    'Open a FITS image, start (or load from cache) its tile pyramid and return its description. ' +
      'Errors: fits.notFits, fits.truncated, fits.badAxis, fits.unsupportedBitpix, fits.notImage, fits.noSuchHdu, fits.io.',
  ),
  'fits.close': method<void>()(z.object({ imageId }).strict(), 'Forget an open image and stop its pyramid build.'),
  'image.pixelValue': method<PixelValue>()(
    z.object({ imageId, x: z.number().finite(), y: z.number().finite() }).strict(),
    'Exact full-resolution value at a Pixel0 position (nearest pixel). Errors: image.notOpen.',
  ),
  'files.list': method<{ dir: string; parent: string | null; entries: DirEntry[] }>()(
    z.object({ dir: filePath.optional(), /** 'catalogue': catalogue files (csv, tsv, txt, vot, xml, json, reg, fits tables) instead of images. */ kind: z.enum(['image', 'catalogue']).optional() }).strict(),
    'List a directory for the in-app file browser (FITS files, or catalogue files with kind "catalogue", and folders). Default: the last used folder or home.',
  ),
  'app.requestOpen': method<void>()(
    z.object({ path: filePath }).strict(),
    'Ask every connected window to open a file (event app.openRequested): `cirasa open`, scripts, benchmarks.',
  ),
  'recent.list': method<RecentFile[]>()(z.object({}).strict(), 'Recently opened files, newest first.'),
  'recent.clear': method<void>()(z.object({}).strict(), 'Forget the recent files.'),
  'catalogue.import': method<CatalogueSummary>()(
    z
      .object({
        path: filePath,
        format: z.string().min(1).max(64).optional(),
        imagePath: filePath.optional(),
        name: z.string().min(1).max(512).optional(),
        /** Column mapping of a foreign CSV/TSV (see CsvMapping); implies the csv reader. */
        csvMapping: csvMapping.optional(),
      })
      .strict(),
    'Read a catalogue file (any supported format) into the store; the image WCS, when given, fills x/y or ra/dec. ' +
      'Emits catalogue.importProgress and catalogue.changed. Errors: catalogue.parseFailed, fits.*, notFound.',
  ),
  'catalogue.list': method<CatalogueSummary[]>()(z.object({}).strict(), 'Catalogues in the store, oldest first.'),
  'catalogue.remove': method<void>()(
    z.object({ catalogueId }).strict(),
    'Delete a catalogue with its sources, labels and history. Emits catalogue.changed. Errors: notFound.',
  ),
  'catalogue.columns': method<ColumnInfo[]>()(
    z.object({ catalogueId }).strict(),
    'Columns of the table and of filter expressions (units in ColumnInfo.unit). Errors: notFound.',
  ),
  'catalogue.query': method<QueryResult>()(
    z
      .object({
        catalogueId,
        filter: filterExpr.optional(),
        sort: z.object({ column: z.string().min(1).max(64), descending: z.boolean().optional() }).strict().optional(),
        offset: z.number().int().min(0),
        limit: z.number().int().min(0).max(1000),
      })
      .strict(),
    'A page of table rows, filtered and sorted. Errors: filter.parseFailed (details.position = 0-based char), notFound.',
  ),
  'catalogue.filterIds': method<FilterIdsResult>()(
    z.object({ catalogueId, filter: filterExpr.optional() }).strict(),
    'Store ids of the sources matching a filter, ascending, as base64 Int32Array LE. Errors: filter.parseFailed, notFound.',
  ),
  'catalogue.source': method<SourceDetail>()(
    z.object({ sourceId }).strict(),
    'One source: its table row and full model (contour, components). Errors: notFound.',
  ),
  'labels.set': method<UndoDepths>()(
    z
      .object({
        sourceIds: z.array(sourceId).min(1).max(2_000_000),
        field: labelField,
        value: z.string().max(10_000).nullable(),
        who: z.string().min(1).max(128).optional(),
      })
      .strict(),
    'Set one label field on sources (one undo step, on disk when answered). Emits labels.changed. Errors: validation, notFound.',
  ),
  'labels.undo': method<UndoResult>()(z.object({}).strict(), 'Undo the last label act. Emits labels.changed.'),
  'labels.redo': method<UndoResult>()(z.object({}).strict(), 'Redo the last undone label act. Emits labels.changed.'),
  'labels.vocabularies': method<Vocabularies>()(z.object({}).strict(), 'Terms of the sourceness, class and morphology vocabularies.'),
  'review.queue': method<ReviewQueue>()(
    z
      .object({
        catalogueId,
        filter: filterExpr.optional(),
        order: z.enum(['snr-desc', 'snr-asc', 'flux-desc']).optional(),
        unlabelledField: labelField.optional(),
      })
      .strict(),
    'Review queue: ids of filtered sources (unlabelled in unlabelledField, if given) in order; total and labelled counts of the filtered set. Errors: filter.parseFailed, notFound.',
  ),
  'catalogue.export': method<ExportResult>()(
    z
      .object({
        catalogueId,
        format: z.enum(['ds9', 'votable', 'csv', 'json']),
        path: filePath,
        frame: z.enum(['fk5', 'icrs', 'galactic', 'image']).optional(),
        sourceIds: z.array(sourceId).max(2_000_000).optional(),
        filter: filterExpr.optional(),
      })
      .strict(),
    'Write the catalogue (or the given sources / the filtered ones) with its labels. Errors: filter.parseFailed, notFound, internal.',
  ),
  'catalogue.regionFilter': method<FilterIdsResult>()(
    z
      .object({
        catalogueId,
        /** A DS9 region file (image, fk5, icrs, galactic, fk4 frames; `-` = exclude). */
        regionPath: filePath.optional(),
        shapes: z.array(drawnShape).max(10_000).optional(),
      })
      .strict(),
    'Ids (ascending, base64 Int32Array LE) of the sources inside any include region and outside every exclude region ' +
      '(no include region = the whole field). Sky regions use the WCS of the catalogue image. ' +
      'Errors: validation (no region, sky region without image WCS), catalogue.parseFailed (details.line), notFound, fits.*.',
  ),
  'jobs.apps': method<FinderAppInfo[]>()(z.object({}).strict(), 'Finder apps a job can run, with their option schemas (JSON Schema: defaults, ranges, help).'),
  'jobs.profiles': method<ProfileInfo[]>()(
    z.object({}).strict(),
    'Backend profiles: the built-in "local" and each valid <dataDir>/profiles/*.json (name, type, description; never secrets).',
  ),
  'jobs.submit': method<JobInfo[]>()(
    z
      .object({
        app: z.string().min(1).max(128),
        /** Option values; validated against the app's schema (defaults filled). */
        options: z.record(z.string(), z.unknown()),
        imagePaths: z.array(filePath).min(1).max(1000),
        /** A name from jobs.profiles. */
        profile: z.string().min(1).max(256),
        tag: z.string().max(256).optional(),
        /** Distributed run: this many parts as a Slurm job array, then a merge job (Slurm profiles, apps that can). */
        parts: z.number().int().min(1).max(1000).optional(),
      })
      .strict(),
    'Submit one job per image (same app, options, profile, tag); answers the job records. Emits job.statusChanged. ' +
      'Errors: validation (names each bad option, unknown app or profile), notFound (image), jobs.* (backend).',
  ),
  'jobs.list': method<JobInfo[]>()(z.object({}).strict(), 'Every job, newest first.'),
  'jobs.cancel': method<JobInfo>()(
    z.object({ jobId }).strict(),
    'Cancel a job (a finished one is answered as it is). Emits job.statusChanged. Errors: notFound, jobs.*.',
  ),
  'jobs.logs': method<JobLogsInfo>()(
    z.object({ jobId, tailBytes: z.number().int().min(1).max(16 * 1024 * 1024).optional() }).strict(),
    'stdout and stderr so far (the last tailBytes of each, default 64 KiB). Errors: notFound, jobs.*.',
  ),
  'jobs.openResult': method<{ catalogueId: number }>()(
    z.object({ jobId }).strict(),
    'The catalogue a SUCCESS job imported. Errors: notFound (no such job, or no catalogue yet: details.state).',
  ),
  'session.save': method<SessionSaveResult>()(
    z.object({ path: filePath, state: sessionState }).strict(),
    'Write a session file (JSON, versioned): the image, the catalogues (source path, format, style), every label and note ' +
      'keyed by catalogue + source key, subsets, computed columns, view and display. Errors: notFound (catalogue), internal (write).',
  ),
  'session.load': method<SessionLoadResult>()(
    z.object({ path: filePath }).strict(),
    'Reopen a session file: reuse or import its catalogues, re-apply labels through labels.set (undoable), restore subsets ' +
      'and computed columns; answers the state to restore (ids mapped onto this store) and warnings for what is missing. ' +
      'Errors: session.badFile (details.field), nothing applied.',
  ),
  'subsets.list': method<SubsetInfo[]>()(z.object({ catalogueId }).strict(), "Named subsets of a catalogue (use as subset('name') in filters). Errors: notFound."),
  'subsets.save': method<SubsetInfo>()(
    z.object({ catalogueId, name: subsetName, filter: filterExpr.optional(), sourceIds: z.array(sourceId).max(2_000_000).optional() }).strict(),
    'Save (or replace) a named subset: the sources matching `filter` (which may combine subsets), intersected with `sourceIds` when given. ' +
      'Errors: filter.parseFailed, validation, notFound.',
  ),
  'subsets.remove': method<void>()(z.object({ catalogueId, name: subsetName }).strict(), 'Delete a named subset. Errors: notFound.'),
  'columns.list': method<ComputedColumn[]>()(z.object({ catalogueId }).strict(), 'Computed columns of a catalogue. Errors: notFound.'),
  'columns.define': method<ComputedColumn>()(
    z.object({ catalogueId, name: columnName, expression: z.string().min(1).max(10_000) }).strict(),
    'Define (or redefine) a computed column `name = expression` (numeric, e.g. flux / peak); usable in filters, table, plots and export. ' +
      'Errors: filter.parseFailed (details.position in the expression), validation (name taken or invalid), notFound.',
  ),
  'columns.remove': method<void>()(z.object({ catalogueId, name: columnName }).strict(), 'Delete a computed column. Errors: notFound.'),
  'catalogue.csvPreview': method<CsvPreview>()(
    z.object({ path: filePath }).strict(),
    'The columns and first rows of a CSV/TSV/whitespace table with the column mapping guessed from the names (for the mapping dialog). ' +
      'Errors: notFound, catalogue.parseFailed (no header).',
  ),
  'jobs.presets': method<JobPresetInfo[]>()(
    z.object({ app: z.string().min(1).max(128).optional() }).strict(),
    'Saved option presets (of one app, or all), by app then name.',
  ),
  'jobs.savePreset': method<JobPresetInfo>()(
    z.object({ app: z.string().min(1).max(128), name: presetName, options: z.record(z.string(), z.unknown()) }).strict(),
    "Save (or replace) a named option preset for an app; the options are validated against the app's schema. Errors: validation.",
  ),
  'jobs.deletePreset': method<void>()(z.object({ app: z.string().min(1).max(128), name: presetName }).strict(), 'Delete a preset. Errors: notFound.'),
  'jobs.profile': method<ProfileDetails>()(
    z.object({ name: profileName }).strict(),
    'A backend profile for the editor: its settings and which secrets are stored (true/false, never the values). Errors: notFound.',
  ),
  'jobs.saveProfile': method<ProfileInfo>()(
    z
      .object({
        name: profileName,
        /** The profile JSON (type and settings; secrets are refused here). */
        settings: z.record(z.string(), z.unknown()),
        /** New secret values (string), or null to forget one; absent = keep what is stored. Kept in main only. */
        secrets: z.object({ token: z.string().max(65_536).nullable().optional(), passphrase: z.string().max(4096).nullable().optional() }).strict().optional(),
      })
      .strict(),
    'Create or replace a backend profile (<dataDir>/profiles/NAME.json) and its secrets (encrypted by the OS on the desktop, else a 0600 file). ' +
      'Errors: validation (names the bad field, never echoing a value).',
  ),
  'jobs.deleteProfile': method<void>()(z.object({ name: profileName }).strict(), 'Delete a backend profile and its stored secrets. Errors: notFound, validation (built-in).'),
  'jobs.testProfile': method<ProfileTestResult>()(
    z.object({ name: profileName }).strict(),
    'Try to reach the backend of a profile (slurmrestd ping, SSH login + sinfo, local engine); ok false with the reason otherwise.',
  ),
  'jobs.accounting': method<CaesarRestAccounting>()(
    z.object({ name: profileName }).strict(),
    "The user's usage on a caesar-rest profile's service (GET /accounting): KiB sizes, job counts by state, runtimes in s. " +
      'Errors: validation (unknown or not a caesar-rest profile), jobs.authFailed, jobs.backendUnreachable, notFound (accounting not yet computed).',
  ),
  'jobs.remoteApps': method<FinderAppInfo[]>()(
    z.object({ name: profileName }).strict(),
    "The finder apps of a caesar-rest profile's service (GET /apps), each with its option schema generated from " +
      'GET /app/{app}/describe (flags → boolean, int/float with numeric bounds, enumerations). ' +
      'Errors: validation (unknown or not a caesar-rest profile), jobs.authFailed, jobs.backendUnreachable, jobs.badResponse.',
  ),
} as const;

export type Api = typeof api;
export type MethodName = keyof Api;
export type MethodInput<M extends MethodName> = z.input<Api[M]['input']>;
export type ParsedInput<M extends MethodName> = z.output<Api[M]['input']>;
export type MethodOutput<M extends MethodName> = Api[M] extends MethodSpec<z.ZodType, infer O> ? O : never;

export const METHOD_NAMES = Object.keys(api) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(api, name);
}
