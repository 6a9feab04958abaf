import { useImageStore } from '../image/imageStore';
import { useViewerStore } from './viewerStore';
import { useWcs } from './useWcs';
import { convertFrame, formatSexagesimal, type World } from './wcsApi';

function formatValue(v: number): string {
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(4) : v.toPrecision(5);
}

function equatorial(world: World): World {
  return world.frame === 'galactic' ? convertFrame(world, 'icrs') : world;
}

/** Cursor position, pixel value and sky coordinates (RA/Dec and Galactic). */
export function CursorReadout() {
  const image = useImageStore((s) => s.image);
  const pixel = useViewerStore((s) => s.pixel);
  const value = useViewerStore((s) => s.value);
  const valueAt = useViewerStore((s) => s.valueAt);
  const wcs = useWcs(image);
  if (!image) return <div className="readout muted">No image</div>;
  if (!pixel) return <div className="readout muted">Move the cursor over the image</div>;

  const nearest = { x: Math.round(pixel.x), y: Math.round(pixel.y) };
  const valueKnown = valueAt !== null && valueAt.x === nearest.x && valueAt.y === nearest.y && value !== undefined;
  const world = wcs?.pixelToWorld(pixel) ?? null;
  const eq = world ? equatorial(world) : null;
  const gal = world ? convertFrame(world, 'galactic') : null;
  const sex = eq ? formatSexagesimal(eq) : null;

  return (
    <div className="readout" data-testid="readout">
      <Row label="Pixel0" testId="readout-pixel0" value={`${pixel.x.toFixed(2)}, ${pixel.y.toFixed(2)}`} />
      <Row label="FITS" testId="readout-fits" value={`${(pixel.x + 1).toFixed(2)}, ${(pixel.y + 1).toFixed(2)}`} />
      <Row
        label="Value"
        testId="readout-value"
        value={valueKnown ? (value === null ? 'NaN / blank' : `${formatValue(value)} ${image.bunit}`) : '…'}
      />
      {eq && sex ? (
        <>
          <Row label={`RA (${eq.frame.toUpperCase()})`} testId="readout-ra" value={sex.lon} />
          <Row label="Dec" testId="readout-dec" value={sex.lat} />
          <Row label="RA, Dec °" testId="readout-radec-deg" value={`${eq.lon.toFixed(6)}, ${eq.lat.toFixed(6)}`} />
          {gal && <Row label="l, b °" testId="readout-gal" value={`${gal.lon.toFixed(5)}, ${gal.lat.toFixed(5)}`} />}
        </>
      ) : (
        <Row label="Sky" testId="readout-ra" value={wcs ? 'outside projection' : 'no celestial WCS'} />
      )}
    </div>
  );
}

function Row({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="readout-row">
      <span className="readout-label">{label}</span>
      <span className="readout-value" data-testid={testId}>
        {value}
      </span>
    </div>
  );
}
