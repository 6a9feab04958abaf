/** Our own JSON (export/jsonExporter.ts): `{ cirasaCatalogue: 1, catalogue }`, checked with zod. */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Catalogue } from '../../../shared/domain/source';
import type { CatalogueReader } from '../types';
import { parseFailed } from '../parseUtil';
import { parseLenientJson } from './lenientJson';

const MeasurementShape = { x: z.number(), y: z.number() };
const ComponentSchema = z.looseObject({ ...MeasurementShape, id: z.string(), index: z.number().int() });
const SourceSchema = z.looseObject({
  ...MeasurementShape,
  id: z.string(),
  name: z.string(),
  finder: z.string(),
  type: z.enum(['point', 'extended']),
  islandId: z.string(),
  components: z.array(ComponentSchema),
});
const CatalogueSchema = z.looseObject({
  version: z.number().int(),
  id: z.string(),
  name: z.string(),
  finder: z.string(),
  createdAt: z.string(),
  frame: z.enum(['icrs', 'fk5', 'fk4', 'galactic']),
  sources: z.array(SourceSchema),
});

export const nativeJsonReader: CatalogueReader = {
  id: 'json',
  detect: (_p, head) => /^\s*\{\s*"cirasaCatalogue"\s*:/.test(head.toString('utf8')),
  async read(path) {
    const doc = parseLenientJson(path, await readFile(path, 'utf8')) as { cirasaCatalogue?: unknown; catalogue?: unknown };
    if (doc.cirasaCatalogue !== 1) throw parseFailed(path, `unsupported cirasaCatalogue version ${String(doc.cirasaCatalogue)}`, { field: 'cirasaCatalogue' });
    const r = CatalogueSchema.safeParse(doc.catalogue);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw parseFailed(path, issue.message, { field: ['catalogue', ...issue.path.map(String)].join('.') });
    }
    return doc.catalogue as Catalogue;
  },
};
