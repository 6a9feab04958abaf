import type { CsvFluxUnit, CsvMapping, CsvPreview, CsvSizeUnit } from '../../../shared/contract/catalogues';

type Field = 'name' | 'flux' | 'peak' | 'snr' | 'bmaj' | 'bmin' | 'pa';
const FIELDS: [Field, string][] = [
  ['name', 'Name'],
  ['flux', 'Integrated flux'],
  ['peak', 'Peak (per beam)'],
  ['snr', 'S/N'],
  ['bmaj', 'Major axis (FWHM)'],
  ['bmin', 'Minor axis (FWHM)'],
  ['pa', 'Position angle (° E of N)'],
];
const FLUX_UNITS: CsvFluxUnit[] = ['Jy', 'mJy', 'uJy'];
const SIZE_UNITS: CsvSizeUnit[] = ['arcsec', 'arcmin', 'deg', 'px'];

/** A mapping complete enough to import (both position columns chosen). */
export function completeMapping(m: Partial<CsvMapping>): CsvMapping | null {
  const p = m.position;
  if (!p || (p.kind === 'sky' ? !p.ra || !p.dec : !p.x || !p.y)) return null;
  const out: CsvMapping = { position: p };
  for (const [f] of FIELDS) if (m[f]) out[f] = m[f];
  if (out.flux) out.fluxUnit = m.fluxUnit ?? 'Jy';
  if (out.peak) out.peakUnit = m.peakUnit ?? 'Jy';
  if (out.bmaj || out.bmin) out.sizeUnit = m.sizeUnit ?? 'arcsec';
  return out;
}

/** The column-mapping step of the open-catalogue dialog: the file's columns with sample values, and what each carries. */
export function CsvMappingForm({ preview, mapping, onChange }: { preview: CsvPreview; mapping: Partial<CsvMapping>; onChange(m: Partial<CsvMapping>): void }) {
  const pos = mapping.position ?? { kind: 'sky' as const, ra: '', dec: '' };
  const columnSelect = (value: string | undefined, set: (v: string) => void, testId: string, none = '—') => (
    <select value={value ?? ''} onChange={(e) => set(e.target.value)} data-testid={testId}>
      <option value="">{none}</option>
      {preview.columns.map((c) => (
        <option key={c} value={c}>
          {c}
        </option>
      ))}
    </select>
  );
  const setPos = (p: CsvMapping['position']): void => onChange({ ...mapping, position: p });
  return (
    <div className="csv-mapping" data-testid="csv-mapping">
      <div className="csv-sample">
        <table>
          <thead>
            <tr>
              {preview.columns.map((c) => (
                <th key={c}>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.samples.map((row, i) => (
              <tr key={i}>
                {row.map((v, k) => (
                  <td key={k}>{v}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="style-row">
        <span>Position</span>
        <label>
          <input type="radio" checked={pos.kind === 'sky'} onChange={() => setPos({ kind: 'sky', ra: '', dec: '' })} data-testid="csv-pos-sky" /> RA/Dec (degrees or
          sexagesimal)
        </label>
        <label>
          <input type="radio" checked={pos.kind === 'pixel'} onChange={() => setPos({ kind: 'pixel', x: '', y: '', base: 0 })} data-testid="csv-pos-pixel" /> pixel x/y
        </label>
      </div>
      {pos.kind === 'sky' ? (
        <div className="style-row">
          <span>RA</span>
          {columnSelect(pos.ra, (ra) => setPos({ ...pos, ra }), 'csv-ra')}
          <span>Dec</span>
          {columnSelect(pos.dec, (dec) => setPos({ ...pos, dec }), 'csv-dec')}
        </div>
      ) : (
        <div className="style-row">
          <span>x</span>
          {columnSelect(pos.x, (x) => setPos({ ...pos, x }), 'csv-x')}
          <span>y</span>
          {columnSelect(pos.y, (y) => setPos({ ...pos, y }), 'csv-y')}
          <select value={pos.base} onChange={(e) => setPos({ ...pos, base: Number(e.target.value) as 0 | 1 })} data-testid="csv-base">
            <option value={0}>0-based (first pixel centre = 0)</option>
            <option value={1}>1-based (FITS, DS9)</option>
          </select>
        </div>
      )}
      {FIELDS.map(([f, label]) => (
        <div className="style-row" key={f}>
          <span className="csv-label">{label}</span>
          {columnSelect(mapping[f], (v) => onChange({ ...mapping, [f]: v || undefined }), `csv-${f}`)}
          {f === 'flux' && mapping.flux && unitSelect(FLUX_UNITS, mapping.fluxUnit ?? 'Jy', (u) => onChange({ ...mapping, fluxUnit: u }), 'csv-flux-unit')}
          {f === 'peak' && mapping.peak && unitSelect(FLUX_UNITS, mapping.peakUnit ?? 'Jy', (u) => onChange({ ...mapping, peakUnit: u }), 'csv-peak-unit', '/beam')}
          {f === 'bmaj' && (mapping.bmaj || mapping.bmin) && unitSelect(SIZE_UNITS, mapping.sizeUnit ?? 'arcsec', (u) => onChange({ ...mapping, sizeUnit: u }), 'csv-size-unit')}
        </div>
      ))}
    </div>
  );
}

function unitSelect<U extends string>(units: U[], value: U, set: (u: U) => void, testId: string, suffix = '') {
  return (
    <select value={value} onChange={(e) => set(e.target.value as U)} data-testid={testId}>
      {units.map((u) => (
        <option key={u} value={u}>
          {u}
          {suffix}
        </option>
      ))}
    </select>
  );
}
