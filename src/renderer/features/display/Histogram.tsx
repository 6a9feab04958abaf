import { useEffect, useRef } from 'react';
import { useImageStore } from '../image/imageStore';
import { clipLimits, histogramBins } from '../viewer/colourApi';
import { useDisplayStore } from '../viewer/displayStore';

const BINS = 128;

/** Pixel histogram of the image sample (log counts), with the clip limits marked. */
export function Histogram() {
  const image = useImageStore((s) => s.image);
  const settings = useDisplayStore((s) => s.settings);
  const canvasRef = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !image) return;
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const limits = clipLimits(image.stats, settings.clip);
    // Show a range a little wider than the clip so both limits are visible.
    const span = limits.hi - limits.lo || 1;
    const lo = Math.max(image.stats.min, limits.lo - 0.25 * span);
    const hi = Math.min(image.stats.max, limits.hi + 0.25 * span);
    if (!(hi > lo)) return;
    const { edges, counts } = histogramBins(image.stats, BINS, { lo, hi });
    const logs = counts.map((c) => Math.log10(1 + c));
    const top = Math.max(...logs, 1e-9);
    const x = (v: number) => ((v - lo) / (hi - lo)) * w;
    ctx.fillStyle = 'rgba(140, 170, 200, 0.85)';
    for (let i = 0; i < counts.length; i++) {
      const x0 = x(edges[i]!);
      const x1 = x(edges[i + 1]!);
      const bh = (logs[i]! / top) * (h - 14);
      ctx.fillRect(x0, h - bh, Math.max(1, x1 - x0 - 0.5), bh);
    }
    ctx.strokeStyle = '#ffb347';
    ctx.fillStyle = '#ffb347';
    ctx.font = '10px ui-monospace, monospace';
    for (const [v, name] of [
      [limits.lo, 'lo'],
      [limits.hi, 'hi'],
    ] as const) {
      const px = Math.round(x(v)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(px, 0);
      ctx.lineTo(px, h);
      ctx.stroke();
      ctx.fillText(name, name === 'lo' ? px + 3 : px - 15, 10);
    }
  }, [image, settings]);

  if (!image) return null;
  return (
    <section className="panel">
      <h2>
        Histogram <span className="muted">log counts</span>
      </h2>
      <canvas ref={canvasRef} className="histogram" data-testid="histogram" />
    </section>
  );
}
