/**
 * DS9 region files (format 4.1). Island contours → `polygon`, fitted components (or a source's own
 * ellipse when it has no components) → `ellipse`, sources with neither → `point`. Names as `text={}`,
 * labels as `tag={}`, colour by sourceness label when set, else by morphology (CAESAR's colours).
 *
 * Conventions:
 * - `image`: 1-based pixels (Pixel0 + 1); ellipse radii are SEMI-axes = FWHM/2 in pixels; the angle is
 *   counter-clockwise from the image +x axis (our `thetaPxDeg`, or derived from the PA through the WCS).
 * - fk5/icrs/galactic: degrees; radii FWHM/2 in arcsec (`"`); DS9's sky angle is measured from the
 *   frame's longitude axis, so angle = PA(in that frame) + 90 — whatever the image orientation (DS9
 *   and the `regions` package rotate it into each image through the local north).
 */
import type { Catalogue, Component, Measurement, Source } from '../../shared/domain/source';
import type { SkyFrame } from '../../shared/domain/coords';
import { foldAxisAngle } from '../../shared/domain/source';
import { morphologyColour, sourcenessColour } from '../../shared/domain/labels';
import { arcsecPerPixel, paToThetaDeg, pixelToSky, thetaToPaDeg, type PixelGeometry } from '../catalogue/skyGeometry';
import { skyOf } from './columns';
import { makeExporter } from './makeExporter';

const DS9_FRAME: Record<SkyFrame | 'image', string> = { image: 'image', fk5: 'fk5', icrs: 'icrs', galactic: 'galactic', fk4: 'fk4' };

function fmt(v: number, digits: number): string {
  return Number(v.toFixed(digits)).toString();
}

/** DS9 text inside braces cannot contain braces. */
function braced(s: string): string {
  return `{${s.replace(/[{}]/g, '')}}`;
}

function attrs(name: string | undefined, colour: string, tags: string[]): string {
  const parts = [];
  if (name) parts.push(`text=${braced(name)}`);
  parts.push(`color=${colour}`);
  for (const t of tags) parts.push(`tag=${braced(t)}`);
  return ` # ${parts.join(' ')}`;
}

function tagsOf(m: Measurement, extra: string[] = []): string[] {
  const l = m.labels;
  const cls = l?.class && l.class !== 'UNKNOWN' ? l.class : undefined;
  return [l?.morphology, l?.sourceness, cls, ...(l?.tags ?? []), ...extra].filter((t): t is string => !!t);
}

function colourOf(m: Measurement, fallback?: Measurement): string {
  const l = m.labels ?? fallback?.labels;
  return sourcenessColour(l?.sourceness) ?? morphologyColour(l?.morphology);
}

interface Ctx {
  cat: Catalogue;
  frame: SkyFrame | 'image';
  g: PixelGeometry;
  warnings: string[];
}

/** Centre in the output frame, or undefined when it cannot be had (no sky position and no WCS). */
function centre(ctx: Ctx, m: Measurement): string | undefined {
  if (ctx.frame === 'image') return `${fmt(m.x + 1, 4)},${fmt(m.y + 1, 4)}`;
  const s = skyOf(m, ctx.cat.frame, ctx.frame);
  if (s.ra !== undefined && s.dec !== undefined) return `${fmt(s.ra, 7)},${fmt(s.dec, 7)}`;
  const w = pixelToSky(ctx.g, m, ctx.frame);
  return w ? `${fmt(w.lon, 7)},${fmt(w.lat, 7)}` : undefined;
}

function ellipse(ctx: Ctx, m: Measurement): string | undefined {
  const c = centre(ctx, m);
  if (!c) return undefined;
  if (ctx.frame === 'image') {
    let theta = m.thetaPxDeg;
    if (theta === undefined && m.paDeg !== undefined) theta = paToThetaDeg(ctx.g, m, m.paDeg, ctx.cat.frame);
    let a = m.bmajPx, b = m.bminPx;
    if ((a === undefined || b === undefined) && theta !== undefined && m.bmajArcsec !== undefined && m.bminArcsec !== undefined) {
      const sMaj = arcsecPerPixel(ctx.g, m, theta), sMin = arcsecPerPixel(ctx.g, m, theta + 90);
      if (sMaj && sMin) [a, b] = [m.bmajArcsec / sMaj, m.bminArcsec / sMin];
    }
    if (a === undefined || b === undefined || theta === undefined) return undefined;
    return `ellipse(${c},${fmt(a / 2, 4)},${fmt(b / 2, 4)},${fmt(theta, 3)})`;
  }
  let pa = skyOf(m, ctx.cat.frame, ctx.frame).pa;
  if (pa === undefined && m.thetaPxDeg !== undefined) pa = thetaToPaDeg(ctx.g, m, m.thetaPxDeg, ctx.frame);
  let a = m.bmajArcsec, b = m.bminArcsec;
  if ((a === undefined || b === undefined) && m.bmajPx !== undefined && m.bminPx !== undefined && m.thetaPxDeg !== undefined) {
    const sMaj = arcsecPerPixel(ctx.g, m, m.thetaPxDeg), sMin = arcsecPerPixel(ctx.g, m, m.thetaPxDeg + 90);
    if (sMaj && sMin) [a, b] = [m.bmajPx * sMaj, m.bminPx * sMin];
  }
  if (a === undefined || b === undefined || pa === undefined) return undefined;
  return `ellipse(${c},${fmt(a / 2, 4)}",${fmt(b / 2, 4)}",${fmt(foldAxisAngle(pa + 90), 3)})`;
}

function polygon(ctx: Ctx, s: Source): string | undefined {
  const v = s.contour;
  if (!v || v.length < 3) return undefined;
  if (ctx.frame === 'image') return `polygon(${v.map(([x, y]) => `${fmt(x + 1, 3)},${fmt(y + 1, 3)}`).join(',')})`;
  const pts: string[] = [];
  for (const [x, y] of v) {
    const w = pixelToSky(ctx.g, { x, y }, ctx.frame);
    if (!w) {
      ctx.warnings.push(`${s.name}: contour not written (${ctx.g.wcs ? 'vertex outside the WCS domain' : 'no WCS to convert it to sky coordinates; give --image'})`);
      return undefined;
    }
    pts.push(`${fmt(w.lon, 7)},${fmt(w.lat, 7)}`);
  }
  return `polygon(${pts.join(',')})`;
}

function sourceLines(ctx: Ctx, s: Source): string[] {
  const out: string[] = [];
  const named = new Set<string>();
  const poly = polygon(ctx, s);
  if (poly) {
    out.push(poly + attrs(s.name, colourOf(s), tagsOf(s, ['ISLAND'])));
    named.add(s.name);
  }
  const fits: { m: Measurement; name: string; tags: string[] }[] = s.components.length
    ? s.components.map((c: Component) => ({ m: c, name: c.id, tags: tagsOf(c, ['FIT-COMPONENT', ...(c.fitQuality ? [`${c.fitQuality}-FIT`] : [])]) }))
    : [{ m: s, name: s.name, tags: tagsOf(s) }];
  for (const f of fits) {
    const e = ellipse(ctx, f.m);
    if (e) out.push(e + attrs(f.name, colourOf(f.m, s), f.tags));
    else if (!named.has(s.name)) {
      const c = centre(ctx, f.m);
      if (c) out.push(`point(${c}) # point=x` + attrs(f.name, colourOf(f.m, s), f.tags).slice(2));
      else ctx.warnings.push(`${f.name}: no sky position and no WCS; not written`);
    }
  }
  return out;
}

export const ds9Exporter = makeExporter('ds9', 'reg', (cat, opts) => {
  const frame = opts.frame ?? cat.frame;
  const ctx: Ctx = { cat, frame, g: { wcs: opts.wcs, pixelScaleArcsec: opts.pixelScaleArcsec }, warnings: [] };
  const lines = [
    '# Region file format: DS9 version 4.1',
    `# CIRASA catalogue ${cat.name.replace(/[\r\n]+/g, ' ')} (finder ${cat.finder}, ${cat.sources.length} sources)`,
    'global color=green dashlist=8 3 width=1 font="helvetica 10 normal roman" select=1 highlite=1 dash=0 fixed=0 edit=1 move=1 delete=1 include=1 source=1',
    DS9_FRAME[frame],
  ];
  for (const s of cat.sources) lines.push(...sourceLines(ctx, s));
  return { data: lines.join('\n') + '\n', warnings: ctx.warnings };
});
