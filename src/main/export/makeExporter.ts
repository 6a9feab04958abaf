import { writeFile } from 'node:fs/promises';
import type { Catalogue } from '../../shared/domain/source';
import type { ExportOptions, ExportResult, Exporter } from './types';

/** An Exporter from its pure render function (write = render + one file write). */
export function makeExporter(id: string, extension: string, render: (cat: Catalogue, opts: ExportOptions) => ExportResult): Exporter {
  return {
    id,
    extension,
    render: (cat, opts = {}) => render(cat, opts),
    async write(cat, outPath, opts = {}) {
      const r = render(cat, opts);
      await writeFile(outPath, r.data, 'utf8');
      return r.warnings;
    },
  };
}
