/**
 * Rebuild the model from the flat table our CSV and VOTable exporters write (export/columns.ts): a
 * source row, then its component rows (type 'component', source_id = the source's id).
 */
import type { Catalogue, CatalogueBeam, Component, FitQuality, Source } from '../../../shared/domain/source';
import { FIT_QUALITIES, makeCatalogue } from '../../../shared/domain/source';
import type { SourceLabels } from '../../../shared/domain/labels';
import { normalizeSourceness } from '../../../shared/domain/labels';
import type { SkyFrame } from '../../../shared/domain/coords';
import { isSkyFrame } from '../../../shared/domain/coords';
import { compact, parseFailed } from '../parseUtil';

export type FlatCell = string | number | undefined;
export interface FlatRecord {
  /** 1-based line (CSV) or row (VOTable) for error messages. */
  where: number;
  cells: Record<string, FlatCell>;
}

export interface FlatMeta {
  name?: string;
  id?: string;
  finder?: string;
  runId?: string;
  image?: string;
  created?: string;
  frame?: string;
  beam?: CatalogueBeam;
}

function labelsOf(c: Record<string, FlatCell>): SourceLabels | undefined {
  const s = (k: string) => (typeof c[k] === 'string' && c[k] !== '' ? (c[k] as string) : undefined);
  const tags = s('tags')?.split(';').filter(Boolean);
  const l = compact<SourceLabels>({
    sourceness: s('sourceness') ? normalizeSourceness(s('sourceness')!) : undefined,
    class: s('class'),
    morphology: s('morphology'),
    tags: tags?.length ? tags : undefined,
    notes: s('notes'),
  });
  return Object.keys(l).length ? l : undefined;
}

export function flatToCatalogue(path: string, records: FlatRecord[], meta: FlatMeta, defaults: { name: string; frame?: SkyFrame }): Catalogue {
  const sources: Source[] = [];
  const byId = new Map<string, Source>();
  for (const { where, cells: c } of records) {
    const num = (k: string): number | undefined => {
      const v = c[k];
      if (v === undefined || v === '') return undefined;
      const n = typeof v === 'number' ? v : Number(v);
      if (Number.isNaN(n) && typeof v === 'string' && !/^nan$/i.test(v.trim())) throw parseFailed(path, `'${v}' is not a number`, { line: where, field: k });
      return Number.isFinite(n) ? n : undefined;
    };
    const str = (k: string): string | undefined => (c[k] === undefined || c[k] === '' ? undefined : String(c[k]));
    const x = num('x'), y = num('y');
    if (x === undefined || y === undefined) throw parseFailed(path, 'row without x/y', { line: where, field: x === undefined ? 'x' : 'y' });
    const fq = str('fit_quality');
    const m = {
      x, y, xErrPx: num('x_err'), yErrPx: num('y_err'), ra: num('ra'), dec: num('dec'), raErr: num('ra_err'), decErr: num('dec_err'),
      peak: num('peak'), peakErr: num('peak_err'), flux: num('flux'), fluxErr: num('flux_err'), snr: num('snr'),
      bmajArcsec: num('bmaj'), bminArcsec: num('bmin'), paDeg: num('pa'), bmajErrArcsec: num('bmaj_err'), bminErrArcsec: num('bmin_err'), paErrDeg: num('pa_err'),
      deconvBmajArcsec: num('deconv_bmaj'), deconvBminArcsec: num('deconv_bmin'), deconvPaDeg: num('deconv_pa'),
      bmajPx: num('bmaj_px'), bminPx: num('bmin_px'), thetaPxDeg: num('theta_px'), labels: labelsOf(c),
    };
    const fitQuality = fq && (FIT_QUALITIES as readonly string[]).includes(fq) ? (fq as FitQuality) : undefined;
    const id = str('id') ?? str('name') ?? String(where);
    if (str('type') === 'component') {
      const parent = byId.get(str('source_id') ?? '');
      if (!parent) throw parseFailed(path, `component ${id} names unknown source_id '${str('source_id') ?? ''}'`, { line: where, field: 'source_id' });
      parent.components.push(compact<Component>({ id, index: parent.components.length + 1, ...m, chi2: num('chi2'), ndf: num('ndf'), fitQuality }));
      continue;
    }
    const type = str('type') === 'extended' ? 'extended' : 'point';
    const s = compact<Source>({
      id, name: str('name') ?? id, finder: str('finder') ?? meta.finder ?? 'unknown', type, islandId: str('island_id') ?? id,
      parentId: str('source_id'), ...m, npix: num('npix'), flags: num('flags'), fitQuality, chi2: num('chi2'), ndf: num('ndf'), components: [],
    });
    sources.push(s);
    byId.set(id, s);
  }
  return makeCatalogue({
    name: meta.name ?? defaults.name,
    id: meta.id,
    finder: meta.finder ?? sources[0]?.finder ?? 'unknown',
    runId: meta.runId,
    imagePath: meta.image,
    createdAt: meta.created,
    frame: isSkyFrame(meta.frame) ? meta.frame : (defaults.frame ?? 'fk5'),
    beam: meta.beam,
    sources,
  });
}
