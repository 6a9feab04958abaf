import { Fragment, useEffect, useState } from 'react';
import type { ColumnInfo } from '../../../shared/contract/catalogues';
import { CONSTANT_COLUMNS } from '../../../shared/filter';
import { call } from '../../api/client';
import type { ColormapName } from '../viewer/colour';
import { useCatalogueStore } from './catalogueStore';
import { RULE_COLORMAPS, RULE_SCALES, type ColourRule, type RuleScale, type SizeRule } from './styleRules';

const numOrNull = (s: string): number | null => (s.trim() === '' || !Number.isFinite(Number(s)) ? null : Number(s));

/** Colour and size rules of one catalogue: column, scale, range (blank = the data's), colormap / radii. */
export function StyleEditor({ catalogueId }: { catalogueId: number }) {
  const style = useCatalogueStore((s) => s.styles[catalogueId]);
  const [columns, setColumns] = useState<ColumnInfo[]>([]);
  useEffect(() => {
    let live = true;
    // Per-source numbers only: the beam constants are the same for every source.
    const constant = new Set(CONSTANT_COLUMNS.map((c) => c.name));
    void call('catalogue.columns', { catalogueId }).then((c) => live && setColumns(c.filter((x) => x.kind === 'number' && !constant.has(x.name))), () => undefined);
    return () => {
      live = false;
    };
  }, [catalogueId]);
  const set = useCatalogueStore.getState().setStyle;
  const colourBy = style?.colourBy ?? null;
  const sizeBy = style?.sizeBy ?? null;
  // A new column starts from its own data range.
  const fresh = (patch: { column?: string }, rule: { column: string } | null) => (patch.column && patch.column !== rule?.column ? { min: null, max: null } : {});
  const setColour = (patch: Partial<ColourRule> | null): void =>
    set(catalogueId, { colourBy: patch === null ? null : { column: 'snr', colormap: 'viridis', scale: 'linear', min: null, max: null, ...colourBy, ...patch, ...fresh(patch, colourBy) } });
  const setSize = (patch: Partial<SizeRule> | null): void =>
    set(catalogueId, { sizeBy: patch === null ? null : { column: 'flux', scale: 'sqrt', min: null, max: null, minPx: 2, maxPx: 10, ...sizeBy, ...patch, ...fresh(patch, sizeBy) } });
  const columnOptions = columns.map((c) => (
    <option key={c.name} value={c.name}>
      {c.name}
      {c.unit ? ` [${c.unit}]` : ''}
    </option>
  ));
  const scaleSelect = (value: RuleScale, onChange: (s: RuleScale) => void, testId: string) => (
    <select value={value} onChange={(e) => onChange(e.target.value as RuleScale)} data-testid={testId}>
      {RULE_SCALES.map((s) => (
        <option key={s}>{s}</option>
      ))}
    </select>
  );
  const rangeInputs = (rule: { column: string; min: number | null; max: number | null }, onChange: (p: { min?: number | null; max?: number | null }) => void, testId: string) => (
    <Fragment key={rule.column}>
      <input className="style-num" placeholder="auto" defaultValue={rule.min ?? ''} onBlur={(e) => onChange({ min: numOrNull(e.target.value) })} data-testid={`${testId}-min`} title="Low end (blank = data minimum)" />
      –
      <input className="style-num" placeholder="auto" defaultValue={rule.max ?? ''} onBlur={(e) => onChange({ max: numOrNull(e.target.value) })} data-testid={`${testId}-max`} title="High end (blank = data maximum)" />
    </Fragment>
  );
  return (
    <div className="style-editor" data-testid={`style-editor-${catalogueId}`}>
      <div className="style-row">
        <span>Colour by</span>
        <select value={colourBy?.column ?? ''} onChange={(e) => setColour(e.target.value === '' ? null : { column: e.target.value })} data-testid="style-colour-column">
          <option value="">label</option>
          {columnOptions}
        </select>
        {colourBy && (
          <>
            <select value={colourBy.colormap} onChange={(e) => setColour({ colormap: e.target.value as ColormapName })} data-testid="style-colormap">
              {RULE_COLORMAPS.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
            {scaleSelect(colourBy.scale, (scale) => setColour({ scale }), 'style-colour-scale')}
          </>
        )}
      </div>
      {colourBy && <div className="style-row">{rangeInputs(colourBy, setColour, 'style-colour-range')}</div>}
      <div className="style-row">
        <span>Size by</span>
        <select value={sizeBy?.column ?? ''} onChange={(e) => setSize(e.target.value === '' ? null : { column: e.target.value })} data-testid="style-size-column">
          <option value="">shape (fitted ellipse)</option>
          {columnOptions}
        </select>
        {sizeBy && scaleSelect(sizeBy.scale, (scale) => setSize({ scale }), 'style-size-scale')}
      </div>
      {sizeBy && (
        <div className="style-row">
          {rangeInputs(sizeBy, setSize, 'style-size-range')}
          <span>→ radius</span>
          <input className="style-num" type="number" min={1} max={40} value={sizeBy.minPx} onChange={(e) => setSize({ minPx: Math.max(1, Number(e.target.value) || 1) })} />
          –
          <input className="style-num" type="number" min={1} max={40} value={sizeBy.maxPx} onChange={(e) => setSize({ maxPx: Math.max(1, Number(e.target.value) || 1) })} />
          px
        </div>
      )}
    </div>
  );
}
