import { useCatalogueStore } from './catalogueStore';
import type { OverlayLayers } from './overlayLayers';
import { binPalette, denormalise, layerPaint, type Range, type RuleScale } from './styleRules';

const fmt = (v: number): string => (v === 0 ? '0' : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-2 ? v.toExponential(2) : v.toPrecision(3));

/** Legend of the colour and size rules of the catalogues on the image (bottom left of the viewer). */
export function StyleLegend({ layers, version }: { layers: OverlayLayers; version: number }) {
  const catalogues = useCatalogueStore((s) => s.catalogues);
  const styles = useCatalogueStore((s) => s.styles);
  const entries = catalogues.flatMap((c) => {
    const style = styles[c.catalogueId];
    if (!style || style.visible === false || (!style.colourBy && !style.sizeBy) || !layers.get(c.catalogueId)) return [];
    const paint = layerPaint(style, (name) => layers.column(c.catalogueId, name));
    return [{ c, style, paint }];
  });
  if (entries.length === 0) return null;
  return (
    <div className="style-legend" data-testid="style-legend" data-version={version}>
      {entries.map(({ c, style, paint }) => (
        <div key={c.catalogueId} className="style-legend-entry">
          <div className="style-legend-name" style={{ color: style.colour }}>
            {c.name}
          </div>
          {style.colourBy && paint.colourRange && (
            <ColourBar column={style.colourBy.column} scale={style.colourBy.scale} range={paint.colourRange} palette={binPalette(style.colourBy.colormap).slice(1)} />
          )}
          {style.sizeBy && paint.sizeRange && <SizeKey rule={style.sizeBy} range={paint.sizeRange} />}
          {((style.colourBy && !paint.colourRange) || (style.sizeBy && !paint.sizeRange)) && <div className="muted">loading column…</div>}
        </div>
      ))}
    </div>
  );
}

function ColourBar({ column, scale, range, palette }: { column: string; scale: RuleScale; range: Range; palette: string[] }) {
  const gradient = `linear-gradient(to right, ${palette.join(', ')})`;
  return (
    <div className="style-legend-colour" data-testid="legend-colour">
      <div className="muted">
        colour: {column} ({scale})
      </div>
      <div className="style-legend-bar" style={{ background: gradient }} />
      <div className="style-legend-ticks">
        <span>{fmt(range.min)}</span>
        <span>{fmt(denormalise(0.5, range, scale))}</span>
        <span>{fmt(range.max)}</span>
      </div>
    </div>
  );
}

function SizeKey({ rule, range }: { rule: { column: string; scale: RuleScale; minPx: number; maxPx: number }; range: Range }) {
  const steps = [0, 0.5, 1];
  return (
    <div className="style-legend-size" data-testid="legend-size">
      <div className="muted">
        size: {rule.column} ({rule.scale})
      </div>
      <div className="style-legend-circles">
        {steps.map((t) => {
          const r = rule.minPx + t * (rule.maxPx - rule.minPx);
          return (
            <span key={t} className="style-legend-circle">
              <svg width={2 * rule.maxPx + 2} height={2 * rule.maxPx + 2}>
                <circle cx={rule.maxPx + 1} cy={rule.maxPx + 1} r={r} />
              </svg>
              {fmt(denormalise(t, range, rule.scale))}
            </span>
          );
        })}
      </div>
    </div>
  );
}
