/**
 * DS9 region files (ours, and CAESAR's `ds9-*.reg` / `ds9_fitcomp-*.reg`, caesar-rest-api.md §7.7) back
 * into the model. Regions carry geometry and labels only: no fluxes. Mapping:
 * - `polygon` → a source whose contour it is (centre = mean of the vertices: a region has no centre);
 * - `ellipse` tagged FIT-COMPONENT → a component of the preceding source (CAESAR: `<island>_fitcomp<k>`),
 *   or, when its name names another source (a file written without contours), of a source it implies;
 *   any other `ellipse`, `circle` or `point` → a source of its own;
 * - tags: morphology / sourceness / class vocabularies → labels (CAESAR's FALSE, UNKNOWN-MORPH normalised),
 *   `<Q>-FIT` (ours) and CAESAR's HQ-/MQ-/LQ-/BAD-FIT → fit quality, others → label tags.
 * Image coordinates are 1-based (→ Pixel0 − 1), angles CCW from +x, radii semi-axes. Sky files need a WCS
 * (`--image`) for pixel positions, since the model's x/y are required; sky angle = PA + 90.
 */
import { readFile } from 'node:fs/promises';
import type { Component, FitQuality, Measurement, Source } from '../../../shared/domain/source';
import { foldAxisAngle, makeCatalogue } from '../../../shared/domain/source';
import type { SkyFrame } from '../../../shared/domain/coords';
import { CLASS_LABELS, MORPHOLOGY_LABELS, normalizeMorphology, normalizeSourceness, type SourceLabels } from '../../../shared/domain/labels';
import type { CatalogueReader, ReadOptions } from '../types';
import { compact, parseFailed, stem } from '../parseUtil';
import { arcsecPerPixel, paToThetaDeg, pixelToSky, thetaToPaDeg } from '../skyGeometry';

const FRAMES: Record<string, SkyFrame | 'image'> = { image: 'image', physical: 'image', fk5: 'fk5', j2000: 'fk5', icrs: 'icrs', galactic: 'galactic', fk4: 'fk4', b1950: 'fk4' };
const FIT_TAGS: Record<string, FitQuality> = {
  'HIGH-FIT': 'HIGH', 'MEDIUM-FIT': 'MEDIUM', 'LOW-FIT': 'LOW', 'BAD-FIT': 'BAD', 'UNKNOWN-FIT': 'UNKNOWN',
  'HQ-FIT': 'HIGH', 'MQ-FIT': 'MEDIUM', 'LQ-FIT': 'LOW',
};
const SOURCENESS_TAGS = new Set(['REAL', 'FAKE', 'FALSE', 'CANDIDATE']);

interface Parsed { shape: string; args: string[]; text?: string; tags: string[]; line: number }

function parseLine(line: string, lineNo: number): Parsed | undefined {
  // DS9 accepts `shape(a,b,...)` and `shape a b ...` (CAESAR writes the latter).
  const m = /^\s*([+-]?)\s*(polygon|ellipse|circle|point)\s*(?:\(([^)]*)\)|\s([^#]*))\s*(?:#(.*))?$/i.exec(line);
  if (!m) return undefined;
  m[3] ??= m[4];
  m[4] = m[5];
  const tail = m[4] ?? '';
  const text = /text=\{([^}]*)\}/.exec(tail)?.[1] ?? /text="([^"]*)"/.exec(tail)?.[1];
  const tags = [...tail.matchAll(/tag=\{([^}]*)\}/g)].map((t) => t[1]!);
  return { shape: m[2]!.toLowerCase(), args: m[3]!.split(/\s*,\s*|\s+/).filter(Boolean), text, tags, line: lineNo };
}

/** A DS9 length: `"` arcsec, `'` arcmin, `d` deg, `p`/`i` pixels; bare = pixels in image, degrees on the sky. */
function length(path: string, s: string, sky: boolean, line: number): { arcsec?: number; px?: number } {
  const m = /^([+-]?[\d.eE+-]+)(["'dpi]?)$/.exec(s);
  if (!m) throw parseFailed(path, `bad length '${s}'`, { line });
  const v = Number(m[1]);
  switch (m[2]) {
    case '"': return { arcsec: v };
    case "'": return { arcsec: v * 60 };
    case 'd': return { arcsec: v * 3600 };
    case 'p': case 'i': return { px: v };
    default: return sky ? { arcsec: v * 3600 } : { px: v };
  }
}

function labelsOf(tags: string[]): { labels?: SourceLabels; fitQuality?: FitQuality; component: boolean } {
  const l: SourceLabels = {};
  let fitQuality: FitQuality | undefined;
  let component = false;
  const rest: string[] = [];
  for (const t of tags) {
    const u = t.toUpperCase();
    if (u === 'FIT-COMPONENT') component = true;
    else if (u === 'ISLAND') continue;
    else if (FIT_TAGS[u]) fitQuality = FIT_TAGS[u];
    else if (SOURCENESS_TAGS.has(u) && !l.sourceness) l.sourceness = normalizeSourceness(u);
    else if (!l.morphology && ((MORPHOLOGY_LABELS as readonly string[]).includes(u) || u === 'UNKNOWN-MORPH')) l.morphology = normalizeMorphology(u);
    else if (!l.class && (CLASS_LABELS as readonly string[]).includes(u)) l.class = u;
    else rest.push(t);
  }
  if (rest.length) l.tags = rest;
  return { labels: Object.keys(l).length ? l : undefined, fitQuality, component };
}

export const ds9Reader: CatalogueReader = {
  id: 'ds9',
  detect: (path, head) => /^# Region file format: DS9/m.test(head.toString('utf8', 0, 200)) || (/\.reg$/i.test(path) && /^\s*(image|fk5|icrs|galactic|physical);?\s*$/m.test(head.toString('utf8'))),
  async read(path: string, opts: ReadOptions) {
    const lines = (await readFile(path, 'utf8')).split(/\r?\n/);
    let frame: SkyFrame | 'image' = 'image';
    const sources: Source[] = [];
    const g = { wcs: opts.wcs, pixelScaleArcsec: opts.pixelScaleArcsec };
    const catFrame: SkyFrame = opts.frame ?? 'fk5';
    lines.forEach((raw, i) => {
      const lineNo = i + 1;
      // DS9 allows `fk5; circle(...)` on one line.
      for (const part of raw.split(';')) {
        const line = part.trim();
        if (line === '' || line.startsWith('#') || /^global\b/.test(line)) continue;
        const f = FRAMES[line.toLowerCase()];
        if (f) { frame = f; continue; }
        const p = parseLine(line, lineNo);
        if (!p) continue; // other shapes (box, text, line...) carry no source
        const sky = frame !== 'image';
        const nums = (k: number) => {
          const v = Number(p.args[k]);
          if (!Number.isFinite(v)) throw parseFailed(path, `bad ${p.shape} argument '${p.args[k] ?? ''}'`, { line: lineNo, column: k + 1 });
          return v;
        };
        const toPixel = (a: number, b: number): { x: number; y: number; ra?: number; dec?: number } => {
          if (!sky) {
            const pos = { x: a - 1, y: b - 1 };
            const w = pixelToSky(g, pos, catFrame);
            return w ? { ...pos, ra: w.lon, dec: w.lat } : pos;
          }
          const q = g.wcs?.worldToPixel({ lon: a, lat: b, frame: frame as SkyFrame });
          if (!q) throw parseFailed(path, `sky coordinates need the image WCS to give pixel positions (use --image)`, { line: lineNo });
          return { x: q.x, y: q.y, ra: a, dec: b };
        };
        const { labels, fitQuality, component } = labelsOf(p.tags);
        const m: Measurement & { fitQuality?: FitQuality } = { x: 0, y: 0 };
        let contour: [number, number][] | undefined;
        if (p.shape === 'polygon') {
          contour = [];
          for (let k = 0; k + 1 < p.args.length; k += 2) {
            const q = toPixel(nums(k), nums(k + 1));
            contour.push([q.x, q.y]);
          }
          m.x = contour.reduce((s, v) => s + v[0], 0) / contour.length;
          m.y = contour.reduce((s, v) => s + v[1], 0) / contour.length;
        } else {
          Object.assign(m, toPixel(nums(0), nums(1)));
          if (p.shape === 'ellipse' || p.shape === 'circle') {
            const r1 = length(path, p.args[2] ?? '', sky, lineNo);
            const r2 = p.shape === 'ellipse' ? length(path, p.args[3] ?? '', sky, lineNo) : r1;
            let angle = p.shape === 'ellipse' ? nums(4) : 0;
            const [a, b] = (r1.arcsec ?? r1.px ?? 0) >= (r2.arcsec ?? r2.px ?? 0) ? [r1, r2] : ((angle += 90), [r2, r1]);
            if (sky) {
              m.bmajArcsec = 2 * a.arcsec!;
              m.bminArcsec = 2 * b.arcsec!;
              m.paDeg = foldAxisAngle(angle - 90);
              m.thetaPxDeg = paToThetaDeg(g, m, m.paDeg, frame as SkyFrame);
            } else {
              m.bmajPx = 2 * a.px!;
              m.bminPx = 2 * b.px!;
              m.thetaPxDeg = foldAxisAngle(angle);
              const sMaj = arcsecPerPixel(g, m, m.thetaPxDeg), sMin = arcsecPerPixel(g, m, m.thetaPxDeg + 90);
              if (sMaj && sMin) [m.bmajArcsec, m.bminArcsec] = [m.bmajPx * sMaj, m.bminPx * sMin];
              m.paDeg = thetaToPaDeg(g, m, m.thetaPxDeg, catFrame);
            }
          }
        }
        let last = sources[sources.length - 1];
        if (component) {
          // A component belongs to the preceding source when its name says so (ours `<source>_c<k>`,
          // CAESAR `<island>_fitcomp<k>`) or it has no name. Files written without island contours (no
          // WCS at export) have no polygon lines: the name's prefix then starts the source it implies.
          const owner = p.text === undefined ? undefined : /^(.*)_(?:c|fitcomp)\d+$/.exec(p.text)?.[1];
          if (!last || (owner !== undefined && owner !== last.name)) {
            const name = owner ?? p.text ?? String(sources.length + 1);
            last = compact<Source>({ ...m, id: name, name, finder: 'ds9', type: 'point', islandId: name, fitQuality, labels, components: [] });
            sources.push(last);
          }
          const id = p.text ?? `${last.id}_fitcomp${last.components.length + 1}`;
          last.components.push(compact<Component>({ ...m, id, index: last.components.length + 1, fitQuality, labels }));
          if (fitQuality && !last.fitQuality) last.fitQuality = fitQuality;
          continue;
        }
        const name = p.text ?? String(sources.length + 1);
        const parent = /^(.*)_N\d+$/.exec(name)?.[1];
        sources.push(compact<Source>({
          ...m, id: name, name, finder: 'ds9', type: labels?.morphology === 'EXTENDED' || labels?.morphology === 'DIFFUSE' || labels?.morphology === 'COMPACT-EXTENDED' ? 'extended' : 'point',
          islandId: parent ? parent.replace(/_N\d+$/, '') : name, parentId: parent, contour, fitQuality, labels, components: [],
        }));
      }
    });
    const frameOut: SkyFrame = frame === 'image' ? catFrame : frame;
    return makeCatalogue({ name: opts.name ?? stem(path), finder: 'ds9', frame: frameOut, sources });
  },
};
