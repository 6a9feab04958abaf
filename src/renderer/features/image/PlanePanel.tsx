import { useImageStore } from './imageStore';

/** Channel / Stokes selection for cubes: one selector per axis beyond the second with more than one plane. */
export function PlanePanel() {
  const image = useImageStore((s) => s.image);
  const opening = useImageStore((s) => s.opening);
  const openPath = useImageStore((s) => s.openPath);
  if (!image || !image.planeAxes.some((a) => a.length > 1)) return null;
  const select = (axis: number, index: number): void => {
    const plane = image.planeAxes.map((_, i) => (i === axis ? index : (image.plane[i] ?? 0)));
    void openPath(image.path, { hdu: image.hdu, plane });
  };
  return (
    <section className="panel">
      <h2>Plane</h2>
      {image.planeAxes.map((axis, i) =>
        axis.length > 1 ? (
          <label className="field" key={i}>
            <span>
              {axis.ctype || `Axis ${i + 3}`} ({axis.length})
            </span>
            <select data-testid={`plane-${i}`} disabled={opening !== null} value={image.plane[i] ?? 0} onChange={(e) => select(i, Number(e.target.value))}>
              {Array.from({ length: axis.length }, (_, k) => (
                <option key={k} value={k}>
                  {k + 1}
                </option>
              ))}
            </select>
          </label>
        ) : null,
      )}
    </section>
  );
}
