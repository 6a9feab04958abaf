import { useEffect, useRef } from 'react';
import { useImageStore } from '../image/imageStore';
import { colourbarPixels, colourbarTicks } from '../viewer/colourApi';
import { useDisplayStore } from '../viewer/displayStore';

const WIDTH = 256;

function tickText(v: number): string {
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e4) ? v.toExponential(1) : Number(v.toPrecision(3)).toString();
}

/** The colour scale with value ticks (in BUNIT), for the current settings. */
export function Colourbar() {
  const image = useImageStore((s) => s.image);
  const settings = useDisplayStore((s) => s.settings);
  const canvasRef = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !image) return;
    const strip = colourbarPixels(settings, image.stats, WIDTH);
    const ctx = canvas.getContext('2d')!;
    const row = new ImageData(new Uint8ClampedArray(strip), WIDTH, 1);
    for (let y = 0; y < canvas.height; y++) ctx.putImageData(row, 0, y);
  }, [image, settings]);

  if (!image) return null;
  // Non-linear stretches bunch ticks together: keep only those at least 18 % of the bar apart.
  const ticks = colourbarTicks(settings, image.stats, 5).filter(
    (t, i, all) => i === 0 || all.slice(0, i).every((k) => Math.abs(k.position - t.position) >= 0.18),
  );
  return (
    <section className="panel">
      <h2>
        Colour scale <span className="muted">{image.bunit}</span>
      </h2>
      <canvas ref={canvasRef} className="colourbar" width={WIDTH} height={14} data-testid="colourbar" />
      <div className="colourbar-ticks">
        {ticks.map((t, i) => (
          <span key={i} style={{ left: `${t.position * 100}%` }}>
            {tickText(t.value)}
          </span>
        ))}
      </div>
    </section>
  );
}
