/**
 * The flat table every tabular exporter writes (CSV, VOTable) and the flat readers read back: one row
 * per source followed by one row per component (type 'component', `source_id` = its source), see
 * `walkRows`. Units and UCDs are declared once here.
 */
import type { Catalogue, Component, Measurement, Source } from '../../shared/domain/source';
import type { SkyFrame } from '../../shared/domain/coords';
import { convertFrame } from '../wcs';
import { paInFrame } from '../catalogue/skyGeometry';
import { foldAxisAngle } from '../../shared/domain/source';

export type CellValue = number | string | undefined;

export interface ColumnSpec {
  name: string;
  datatype: 'double' | 'int' | 'char';
  unit?: string;
  ucd: string;
  description: string;
}

export interface FlatRow {
  source: Source;
  component?: Component;
}

function skyUcd(frame: SkyFrame, axis: 'lon' | 'lat'): string {
  if (frame === 'galactic') return axis === 'lon' ? 'pos.galactic.lon' : 'pos.galactic.lat';
  return axis === 'lon' ? 'pos.eq.ra' : 'pos.eq.dec';
}

export function columnSpecs(frame: SkyFrame): ColumnSpec[] {
  const lon = skyUcd(frame, 'lon');
  const lat = skyUcd(frame, 'lat');
  return [
    { name: 'id', datatype: 'char', ucd: 'meta.id;meta.main', description: 'Unique row id (source id, or component id)' },
    { name: 'name', datatype: 'char', ucd: 'meta.id', description: "Finder's source name" },
    { name: 'type', datatype: 'char', ucd: 'src.class', description: 'point, extended or component' },
    { name: 'island_id', datatype: 'char', ucd: 'meta.id.parent', description: 'Island the source belongs to' },
    { name: 'source_id', datatype: 'char', ucd: 'meta.id.parent', description: 'For components: id of their source; for nested sources: the enclosing source' },
    { name: 'ra', datatype: 'double', unit: 'deg', ucd: `${lon};meta.main`, description: `Longitude (${frame}) of the centre` },
    { name: 'dec', datatype: 'double', unit: 'deg', ucd: `${lat};meta.main`, description: `Latitude (${frame}) of the centre` },
    { name: 'ra_err', datatype: 'double', unit: 'deg', ucd: `stat.error;${lon}`, description: 'Longitude error (great circle)' },
    { name: 'dec_err', datatype: 'double', unit: 'deg', ucd: `stat.error;${lat}`, description: 'Latitude error' },
    { name: 'x', datatype: 'double', unit: 'pixel', ucd: 'pos.cartesian.x;instr.pixel', description: 'Centre x, 0-based pixel (0 = centre of first pixel)' },
    { name: 'y', datatype: 'double', unit: 'pixel', ucd: 'pos.cartesian.y;instr.pixel', description: 'Centre y, 0-based pixel' },
    { name: 'x_err', datatype: 'double', unit: 'pixel', ucd: 'stat.error;pos.cartesian.x', description: 'x error' },
    { name: 'y_err', datatype: 'double', unit: 'pixel', ucd: 'stat.error;pos.cartesian.y', description: 'y error' },
    { name: 'peak', datatype: 'double', unit: 'Jy/beam', ucd: 'phot.flux.density;stat.max', description: 'Peak brightness' },
    { name: 'peak_err', datatype: 'double', unit: 'Jy/beam', ucd: 'stat.error;phot.flux.density;stat.max', description: 'Peak brightness error' },
    { name: 'flux', datatype: 'double', unit: 'Jy', ucd: 'phot.flux.density', description: 'Integrated flux density' },
    { name: 'flux_err', datatype: 'double', unit: 'Jy', ucd: 'stat.error;phot.flux.density', description: 'Integrated flux density error' },
    { name: 'snr', datatype: 'double', ucd: 'stat.snr', description: 'Signal to noise ratio' },
    { name: 'bmaj', datatype: 'double', unit: 'arcsec', ucd: 'phys.angSize.smajAxis', description: 'Major axis FWHM' },
    { name: 'bmin', datatype: 'double', unit: 'arcsec', ucd: 'phys.angSize.sminAxis', description: 'Minor axis FWHM' },
    { name: 'pa', datatype: 'double', unit: 'deg', ucd: 'pos.posAng', description: `Major axis position angle, east of north (${frame}), [0,180)` },
    { name: 'bmaj_err', datatype: 'double', unit: 'arcsec', ucd: 'stat.error;phys.angSize.smajAxis', description: 'Major axis error' },
    { name: 'bmin_err', datatype: 'double', unit: 'arcsec', ucd: 'stat.error;phys.angSize.sminAxis', description: 'Minor axis error' },
    { name: 'pa_err', datatype: 'double', unit: 'deg', ucd: 'stat.error;pos.posAng', description: 'Position angle error' },
    { name: 'deconv_bmaj', datatype: 'double', unit: 'arcsec', ucd: 'phys.angSize.smajAxis', description: 'Beam-deconvolved major axis FWHM' },
    { name: 'deconv_bmin', datatype: 'double', unit: 'arcsec', ucd: 'phys.angSize.sminAxis', description: 'Beam-deconvolved minor axis FWHM' },
    { name: 'deconv_pa', datatype: 'double', unit: 'deg', ucd: 'pos.posAng', description: 'Beam-deconvolved position angle' },
    { name: 'bmaj_px', datatype: 'double', unit: 'pixel', ucd: 'phys.angSize.smajAxis;instr.pixel', description: 'Major axis FWHM in pixels' },
    { name: 'bmin_px', datatype: 'double', unit: 'pixel', ucd: 'phys.angSize.sminAxis;instr.pixel', description: 'Minor axis FWHM in pixels' },
    { name: 'theta_px', datatype: 'double', unit: 'deg', ucd: 'pos.posAng;instr.pixel', description: 'Major axis angle, counter-clockwise from image +x, [0,180)' },
    { name: 'npix', datatype: 'int', unit: 'pixel', ucd: 'phys.area;instr.pixel', description: 'Island pixels' },
    { name: 'flags', datatype: 'int', ucd: 'meta.code.qual', description: 'Finder flags' },
    { name: 'fit_quality', datatype: 'char', ucd: 'meta.code.qual', description: 'BAD, LOW, MEDIUM, HIGH or UNKNOWN' },
    { name: 'chi2', datatype: 'double', ucd: 'stat.fit.chi2', description: 'Fit chi-square' },
    { name: 'ndf', datatype: 'int', ucd: 'stat.fit.dof', description: 'Fit degrees of freedom' },
    { name: 'sourceness', datatype: 'char', ucd: 'meta.code.class', description: 'Label: REAL, FAKE, CANDIDATE' },
    { name: 'class', datatype: 'char', ucd: 'src.class', description: 'Label: object class' },
    { name: 'morphology', datatype: 'char', ucd: 'src.morph.type', description: 'Label: morphology' },
    { name: 'tags', datatype: 'char', ucd: 'meta.note', description: 'Label tags, separated by ;' },
    { name: 'notes', datatype: 'char', ucd: 'meta.note', description: "Reviewer's free-text notes" },
    { name: 'finder', datatype: 'char', ucd: 'meta.id;meta.software', description: 'Finder that produced the row' },
  ];
}

/** The standard columns plus `extra` numeric ones (ExportOptions.extraColumns); names already present are skipped. */
export function withExtraColumns(cols: ColumnSpec[], extra: readonly { name: string; description: string }[] = []): ColumnSpec[] {
  const taken = new Set(cols.map((c) => c.name));
  const more = extra.filter((e) => !taken.has(e.name)).map((e): ColumnSpec => ({ name: e.name, datatype: 'double', ucd: 'stat.value', description: e.description }));
  return more.length === 0 ? cols : [...cols, ...more];
}

/** Cells of the extra columns of a row: the source's `extra[name]` when numeric; blank on component rows. */
export function extraCells(row: FlatRow, cols: readonly ColumnSpec[], from: number): Record<string, CellValue> {
  const out: Record<string, CellValue> = {};
  for (let i = from; i < cols.length; i++) {
    const v = row.component ? undefined : row.source.extra?.[cols[i]!.name];
    out[cols[i]!.name] = typeof v === 'number' ? v : undefined;
  }
  return out;
}

/** Sky position and PA of a measurement in the requested frame. */
export function skyOf(m: Measurement, from: SkyFrame, to: SkyFrame): { ra?: number; dec?: number; pa?: number; deconvPa?: number } {
  if (m.ra === undefined || m.dec === undefined) return {};
  if (from === to) return { ra: m.ra, dec: m.dec, pa: m.paDeg, deconvPa: m.deconvPaDeg };
  const w = { lon: m.ra, lat: m.dec, frame: from };
  const c = convertFrame(w, to);
  const pa = (v: number | undefined) => (v === undefined ? undefined : foldAxisAngle(paInFrame(w, v, to)));
  return { ra: c.lon, dec: c.lat, pa: pa(m.paDeg), deconvPa: pa(m.deconvPaDeg) };
}

/** The cells of one flat row, by column name. */
export function rowCells(cat: Catalogue, row: FlatRow, frame: SkyFrame): Record<string, CellValue> {
  const m: Measurement = row.component ?? row.source;
  const s = row.source;
  const c = row.component;
  const sky = skyOf(m, cat.frame, frame);
  const labels = m.labels ?? (c ? undefined : s.labels);
  return {
    id: c ? c.id : s.id,
    name: c ? c.id : s.name,
    type: c ? 'component' : s.type,
    island_id: s.islandId,
    source_id: c ? s.id : s.parentId,
    ra: sky.ra, dec: sky.dec, ra_err: m.raErr, dec_err: m.decErr,
    x: m.x, y: m.y, x_err: m.xErrPx, y_err: m.yErrPx,
    peak: m.peak, peak_err: m.peakErr, flux: m.flux, flux_err: m.fluxErr, snr: m.snr,
    bmaj: m.bmajArcsec, bmin: m.bminArcsec, pa: sky.pa ?? (sky.ra === undefined ? m.paDeg : undefined),
    bmaj_err: m.bmajErrArcsec, bmin_err: m.bminErrArcsec, pa_err: m.paErrDeg,
    deconv_bmaj: m.deconvBmajArcsec, deconv_bmin: m.deconvBminArcsec, deconv_pa: sky.deconvPa ?? (sky.ra === undefined ? m.deconvPaDeg : undefined),
    bmaj_px: m.bmajPx, bmin_px: m.bminPx, theta_px: m.thetaPxDeg,
    npix: c ? undefined : s.npix,
    flags: c ? undefined : s.flags,
    fit_quality: c ? c.fitQuality : s.fitQuality,
    chi2: c ? c.chi2 : s.chi2,
    ndf: c ? c.ndf : s.ndf,
    sourceness: labels?.sourceness, class: labels?.class, morphology: labels?.morphology,
    tags: labels?.tags?.length ? labels.tags.join(';') : undefined,
    notes: labels?.notes || undefined,
    finder: s.finder,
  };
}
