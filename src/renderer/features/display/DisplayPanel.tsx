import { useImageStore } from '../image/imageStore';
import { clipLimits, COLORMAPS, DEFAULT_ASINH_SOFTENING, DEFAULT_LOG_EXPONENT, PERCENT_CLIPS, STRETCHES, type ClipMode, type StretchName } from '../viewer/colourApi';

/** Stretches with a DS9-style parameter: its label and default. */
const STRETCH_PARAMS: Partial<Record<StretchName, { label: string; fallback: number }>> = {
  log: { label: 'Log exponent', fallback: DEFAULT_LOG_EXPONENT },
  power: { label: 'Power base', fallback: DEFAULT_LOG_EXPONENT },
  asinh: { label: 'Softening', fallback: DEFAULT_ASINH_SOFTENING },
};
import { useDisplayStore, type GridFrame } from '../viewer/displayStore';

function clipKey(clip: ClipMode): string {
  return clip.kind === 'percentile' ? `p${clip.percent}` : clip.kind;
}

function rgbaToHex([r, g, b]: [number, number, number, number]): string {
  return '#' + [r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('');
}

/** Stretch, clip, colormap, invert, NaN colour and overlay toggles. */
export function DisplayPanel() {
  const settings = useDisplayStore((s) => s.settings);
  const setSettings = useDisplayStore((s) => s.setSettings);
  const grid = useDisplayStore((s) => s.grid);
  const gridFrame = useDisplayStore((s) => s.gridFrame);
  const beam = useDisplayStore((s) => s.beam);
  const { setGrid, setGridFrame, setBeam } = useDisplayStore.getState();
  const image = useImageStore((s) => s.image);
  const limits = image ? clipLimits(image.stats, settings.clip) : null;
  const param = STRETCH_PARAMS[settings.stretch];

  const onClip = (key: string): void => {
    if (key === 'minmax' || key === 'zscale') setSettings({ clip: { kind: key } });
    else if (key === 'user') setSettings({ clip: { kind: 'user', lo: limits?.lo ?? 0, hi: limits?.hi ?? 1 } });
    else setSettings({ clip: { kind: 'percentile', percent: Number(key.slice(1)) } });
  };
  const setUser = (which: 'lo' | 'hi', text: string): void => {
    const v = Number(text);
    if (!Number.isFinite(v) || settings.clip.kind !== 'user') return;
    setSettings({ clip: { ...settings.clip, [which]: v } });
  };

  return (
    <section className="panel">
      <h2>Display</h2>
      <label className="field">
        <span>Colormap</span>
        <select data-testid="colormap" value={settings.colormap} onChange={(e) => setSettings({ colormap: e.target.value as typeof settings.colormap })}>
          {COLORMAPS.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Stretch</span>
        <select data-testid="stretch" value={settings.stretch} onChange={(e) => setSettings({ stretch: e.target.value as StretchName, stretchParam: undefined })}>
          {STRETCHES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      {param && (
        <label className="field">
          <span>{param.label}</span>
          <input
            key={settings.stretch}
            type="number"
            min="0"
            step="any"
            defaultValue={settings.stretchParam ?? param.fallback}
            onBlur={(e) => {
              const v = Number(e.target.value);
              if (Number.isFinite(v) && v > 0) setSettings({ stretchParam: v });
            }}
            onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
          />
        </label>
      )}
      <label className="field">
        <span>Clip</span>
        <select data-testid="clip" value={clipKey(settings.clip)} onChange={(e) => onClip(e.target.value)}>
          <option value="minmax">min / max</option>
          {PERCENT_CLIPS.map((p) => (
            <option key={p} value={`p${p}`}>
              {p} %
            </option>
          ))}
          <option value="zscale">zscale</option>
          <option value="user">user</option>
        </select>
      </label>
      {settings.clip.kind === 'user' && (
        <div className="field two">
          <input type="number" step="any" aria-label="Low limit" defaultValue={settings.clip.lo} onBlur={(e) => setUser('lo', e.target.value)} />
          <input type="number" step="any" aria-label="High limit" defaultValue={settings.clip.hi} onBlur={(e) => setUser('hi', e.target.value)} />
        </div>
      )}
      {limits && (
        <div className="field muted small" data-testid="clip-limits">
          <span>Limits</span>
          <span>
            {limits.lo.toPrecision(4)} … {limits.hi.toPrecision(4)} {image?.bunit}
          </span>
        </div>
      )}
      <div className="field checks">
        <label>
          <input type="checkbox" checked={settings.invert} onChange={(e) => setSettings({ invert: e.target.checked })} /> Invert
        </label>
        <label title="Colour of NaN / blank pixels">
          <input
            type="checkbox"
            checked={settings.nanColour[3] > 0}
            onChange={(e) => setSettings({ nanColour: [...settings.nanColour.slice(0, 3), e.target.checked ? 255 : 0] as [number, number, number, number] })}
          />{' '}
          NaN colour
        </label>
        <input
          type="color"
          aria-label="NaN colour"
          value={rgbaToHex(settings.nanColour)}
          onChange={(e) => {
            const h = e.target.value;
            setSettings({ nanColour: [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16), 255] });
          }}
        />
      </div>
      <h2>Overlays</h2>
      <div className="field checks">
        <label>
          <input type="checkbox" data-testid="grid-toggle" checked={grid} onChange={(e) => setGrid(e.target.checked)} /> Grid
        </label>
        <select aria-label="Grid frame" value={gridFrame} onChange={(e) => setGridFrame(e.target.value as GridFrame)}>
          <option value="fk5">FK5</option>
          <option value="icrs">ICRS</option>
          <option value="galactic">Galactic</option>
        </select>
        <label>
          <input type="checkbox" checked={beam} onChange={(e) => setBeam(e.target.checked)} /> Beam
        </label>
      </div>
    </section>
  );
}
