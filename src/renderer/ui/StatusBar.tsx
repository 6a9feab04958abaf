import { useImageStore } from '../features/image/imageStore';
import { useViewerStore } from '../features/viewer/viewerStore';

function formatZoom(zoom: number): string {
  if (zoom >= 1) return `${zoom < 10 ? zoom.toFixed(2) : zoom.toFixed(0)}×`;
  return `1/${(1 / zoom).toFixed(1 / zoom < 10 ? 2 : 0)}×`;
}

/** Bottom line: what is being opened, the pyramid build progress, warnings. */
export function StatusBar() {
  const image = useImageStore((s) => s.image);
  const opening = useImageStore((s) => s.opening);
  const progress = useImageStore((s) => s.progress);
  const zoom = useViewerStore((s) => s.zoom);
  const tileFailures = useViewerStore((s) => s.tileFailures);
  const lastTileFailure = useViewerStore((s) => s.lastTileFailure);
  const building = image && progress < 1;
  return (
    <footer className="statusbar">
      {opening && <span data-testid="opening">Opening {opening}…</span>}
      {!opening && image && (
        <span className="muted">
          {image.path} · BITPIX {image.bitpix} · {image.bunit || 'no BUNIT'}
          {image.beam ? ` · beam ${(image.beam.bmajDeg * 3600).toFixed(1)}″×${(image.beam.bminDeg * 3600).toFixed(1)}″ PA ${image.beam.bpaDeg.toFixed(0)}°` : ''}
        </span>
      )}
      {image && image.warnings.length > 0 && (
        <span className="warning" title={image.warnings.join('\n')}>
          ⚠ {image.warnings.length} header warning{image.warnings.length > 1 ? 's' : ''}
        </span>
      )}
      {tileFailures > 0 && (
        <span className="warning" title={lastTileFailure ?? ''} data-testid="tile-failures">
          ⚠ {tileFailures} tile{tileFailures > 1 ? 's' : ''} failed to load
        </span>
      )}
      <span className="spacer" />
      {image && (
        <span className="muted" title="Screen pixels per image pixel (1 = one-to-one)" data-testid="zoom">
          zoom {formatZoom(zoom)}
        </span>
      )}
      {building && (
        <span className="progress" data-testid="pyramid-progress" title="Building the tile pyramid">
          Building tiles <progress max={1} value={progress} /> {Math.round(progress * 100)} %
        </span>
      )}
    </footer>
  );
}
