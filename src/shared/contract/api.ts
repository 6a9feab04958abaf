import { z } from 'zod';
import { method, type MethodSpec } from './define';
import type { DirEntry, ImageInfo, PixelValue, RecentFile } from './images';

const imageId = z.string().min(1).max(512);
const filePath = z.string().min(1).max(4096);

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
    z.object({ dir: filePath.optional() }).strict(),
    'List a directory for the in-app file browser (FITS files and folders). Default: the last used folder or home.',
  ),
  'app.requestOpen': method<void>()(
    z.object({ path: filePath }).strict(),
    'Ask every connected window to open a file (event app.openRequested): `cirasa open`, scripts, benchmarks.',
  ),
  'recent.list': method<RecentFile[]>()(z.object({}).strict(), 'Recently opened files, newest first.'),
  'recent.clear': method<void>()(z.object({}).strict(), 'Forget the recent files.'),
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
