/**
 * The catalogue-reader registry: format detection from the file's first bytes, and `readCatalogue`.
 * Adding a format = one CatalogueReader in readers/ and one line in DEFAULT_READERS.
 */
import { open } from 'node:fs/promises';
import { AppError } from '../../shared/contract/errors';
import type { Catalogue, Source } from '../../shared/domain/source';
import { findBeam, readHeaderOnly } from '../fits';
import { parseWcs } from '../wcs';
import type { CatalogueReader, ReadOptions } from './types';
import { parseFailed } from './parseUtil';
import { nativeJsonReader } from './readers/nativeJson';
import { caesarComponentJsonReader, caesarIslandJsonReader } from './readers/caesarJson';
import { votableReader } from './readers/votableReader';
import { sextractorAsciiReader, sextractorLdacReader } from './readers/sextractor';
import { caesarComponentAsciiReader, caesarIslandAsciiReader } from './readers/caesarAscii';
import { csvReader, streamCsv } from './readers/csvReader';
import { ds9Reader } from './readers/ds9Reader';

/** Detection order matters: the most specific signatures first. */
export const DEFAULT_READERS: readonly CatalogueReader[] = [
  nativeJsonReader, caesarComponentJsonReader, caesarIslandJsonReader, votableReader, sextractorLdacReader,
  sextractorAsciiReader, caesarComponentAsciiReader, caesarIslandAsciiReader, ds9Reader, csvReader,
];

const HEAD_BYTES = 8192;

export class CatalogueReaderRegistry {
  constructor(private readonly readers: readonly CatalogueReader[] = DEFAULT_READERS) {}

  ids(): string[] {
    return this.readers.map((r) => r.id);
  }

  get(id: string): CatalogueReader {
    const r = this.readers.find((x) => x.id === id);
    if (!r) throw new AppError('validation', `Unknown catalogue format '${id}' (known: ${this.ids().join(', ')})`, { format: id });
    return r;
  }

  /** The reader for a file, from its name and first bytes; throws catalogue.parseFailed if none fits. */
  async detect(path: string): Promise<CatalogueReader> {
    const head = Buffer.alloc(HEAD_BYTES);
    let n: number;
    try {
      const fh = await open(path, 'r');
      try {
        n = (await fh.read(head, 0, HEAD_BYTES, 0)).bytesRead;
      } finally {
        await fh.close();
      }
    } catch (err) {
      throw new AppError('notFound', `${path}: cannot read (${err instanceof Error ? err.message : String(err)})`, { file: path });
    }
    const h = head.subarray(0, n);
    const r = this.readers.find((x) => x.detect(path, h));
    if (!r) throw parseFailed(path, `unrecognised catalogue format (supported: ${this.ids().join(', ')})`, { line: 1 });
    return r;
  }

  async read(path: string, opts: ReadOptions = {}): Promise<Catalogue> {
    const reader = opts.format ? this.get(opts.format) : opts.csvMapping ? this.get('csv') : await this.detect(path);
    return reader.read(path, opts);
  }
}

/** WCS, beam and pixel scale from a FITS image header, for readers/exporters that need the geometry. */
export async function geometryFromImage(imagePath: string): Promise<Pick<ReadOptions, 'wcs' | 'beam' | 'pixelScaleArcsec'>> {
  const header = await readHeaderOnly(imagePath);
  const wcs = parseWcs(header.values, imagePath);
  const b = findBeam(header);
  return {
    wcs,
    pixelScaleArcsec: Math.sqrt(wcs.pixelScaleDeg.x * wcs.pixelScaleDeg.y) * 3600,
    beam: b ? { bmajArcsec: b.bmajDeg * 3600, bminArcsec: b.bminDeg * 3600, paDeg: b.bpaDeg } : undefined,
  };
}

/** Read any supported catalogue; `image` supplies the WCS/beam (explicit `wcs`/`beam` win). */
export async function readCatalogue(path: string, opts: ReadOptions & { image?: string } = {}): Promise<Catalogue> {
  const { image, ...rest } = opts;
  const geo = image ? await geometryFromImage(image) : {};
  return new CatalogueReaderRegistry().read(path, { ...geo, ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) });
}

/**
 * A catalogue whose sources are read from the file while they are consumed (the store's import of 10⁶ rows),
 * for the formats that can stream (our CSV); undefined for the others (use readCatalogue). Its sources throw
 * NotStreamable when the file needs the whole-model reader (readCatalogue then gives the same result).
 */
export async function streamCatalogue(
  path: string,
  opts: Pick<ReadOptions, 'format' | 'name' | 'frame' | 'csvMapping'> & { image?: string },
  onBytes?: (read: number, size: number) => void,
): Promise<(Omit<Catalogue, 'sources'> & { sources: Generator<Source> }) | undefined> {
  if (opts.csvMapping || (opts.format !== undefined && opts.format !== 'csv')) return undefined;
  if (!opts.format && (await new CatalogueReaderRegistry().detect(path)).id !== 'csv') return undefined;
  // readCatalogue reads the image's geometry too (and fails on a bad image): keep that behaviour.
  if (opts.image) await geometryFromImage(opts.image);
  return streamCsv(path, opts, onBytes);
}
