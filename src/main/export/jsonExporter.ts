/**
 * Our own JSON: the normalized model as is, under a marker key so the reader can recognise it:
 * `{ "cirasaCatalogue": 1, "catalogue": Catalogue }`. Lossless (contours, labels, extra).
 * Sky positions are kept in the catalogue's own frame (`--frame` does not apply).
 */
import { makeExporter } from './makeExporter';

export const jsonExporter = makeExporter('json', 'json', (cat, opts) => ({
  // Compact: catalogues of 10^5 sources with contours are ~100 MB indented.
  data: JSON.stringify({ cirasaCatalogue: 1, catalogue: cat }) + '\n',
  warnings: opts.frame && opts.frame !== cat.frame ? [`JSON keeps the catalogue's own frame (${cat.frame}); --frame ${opts.frame} ignored`] : [],
}));
