/** catalogue.import's file → store step: our CSV streamed, any other format read whole first. */
import type { CsvMapping } from '../../shared/contract/catalogues';
import type { Catalogue, Source } from '../../shared/domain/source';
import { NotStreamable, readCatalogue, streamCatalogue } from '../catalogue';
import type { ImportResult, Store } from '../store';
import type { Emit } from './catalogueService';

export interface ImportFileInput {
  format?: string;
  name?: string;
  csvMapping?: CsvMapping;
}

/** Store the catalogue file at (resolved) `path` in one transaction, emitting catalogue.importProgress (0 … <1). */
export async function importCatalogueFile(store: Store, emit: Emit, path: string, input: ImportFileInput, imagePath: string | undefined): Promise<ImportResult> {
  return (await importStreamed(store, emit, path, input, imagePath)) ?? importWhole(store, emit, path, input, imagePath);
}

/**
 * Our CSV streamed from the file into the store inside the store's one (synchronous) import transaction: no
 * whole model in memory (10⁶ rows in seconds, little garbage), a parse error rolls everything back, and no
 * other write can interleave. Undefined when the format cannot stream or the file turns out to need the
 * whole model (NotStreamable: the transaction rolled back, nothing was stored).
 */
async function importStreamed(store: Store, emit: Emit, path: string, input: ImportFileInput, imagePath: string | undefined): Promise<ImportResult | undefined> {
  let lastStep = 0;
  const onBytes = (read: number, size: number): void => {
    const step = Math.floor((20 * read) / Math.max(1, size));
    if (step > lastStep && step < 20) emit('catalogue.importProgress', { path, fraction: step / 20 });
    lastStep = Math.max(lastStep, step);
  };
  let cat: Awaited<ReturnType<typeof streamCatalogue>>;
  try {
    // Reads the metadata, header and first source (which may already be NotStreamable).
    cat = await streamCatalogue(path, { format: input.format, image: imagePath, name: input.name, csvMapping: input.csvMapping }, onBytes);
  } catch (err) {
    if (err instanceof NotStreamable) return undefined;
    throw err;
  }
  if (!cat) return undefined;
  try {
    if (input.name) cat.name = input.name;
    if (imagePath) cat.imagePath = imagePath;
    return store.catalogues.import(cat);
  } catch (err) {
    if (err instanceof NotStreamable) return undefined;
    throw err;
  } finally {
    cat.sources.return(undefined); // closes the file if the import stopped early
  }
}

/** Any format: the whole model read, then stored. */
async function importWhole(store: Store, emit: Emit, path: string, input: ImportFileInput, imagePath: string | undefined): Promise<ImportResult> {
  const cat: Catalogue = await readCatalogue(path, { format: input.format, image: imagePath, name: input.name, csvMapping: input.csvMapping });
  if (input.name) cat.name = input.name;
  if (imagePath) cat.imagePath = imagePath;
  emit('catalogue.importProgress', { path, fraction: 0.5 });
  const n = cat.sources.length;
  const step = Math.max(1, Math.floor(n / 20));
  function* withProgress(): Generator<Source> {
    for (let i = 0; i < n; i++) {
      if (i > 0 && i % step === 0) emit('catalogue.importProgress', { path, fraction: 0.5 + (0.5 * i) / n });
      yield cat.sources[i]!;
    }
  }
  return store.catalogues.import({ ...cat, sources: withProgress() });
}
