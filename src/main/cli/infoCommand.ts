import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { listHdus, openFitsImage } from '../fits';
import { sampleImageStats } from '../tiles';
import { parseWcs } from '../wcs';
import type { CliCommand } from './io';
import type { ImageStats } from '../../shared/contract/images';

const HELP = `Usage: cirasa info FILE [--json] [--hdu N] [--plane I,J]

Describe a FITS image: dimensions, BITPIX, axes, WCS, beam, units and statistics from a sample of
about a million pixels (min/max, median, robust rms = 1.4826 MAD, DS9 zscale).

Options:
  --json        machine-readable output
  --hdu N       0-based HDU (default: the first image HDU)
  --plane I,J   0-based index along axes 3, 4 (default 0,0)
  -h, --help    this help
`;

interface InfoReport {
  file: string;
  sizeBytes: number;
  hdus: { index: number; kind: string; extname?: string; bitpix: number; axes: number[] }[];
  hdu: number;
  width: number;
  height: number;
  bitpix: number;
  planeAxes: { ctype: string; length: number }[];
  plane: number[];
  bunit: string;
  beam: { bmajArcsec: number; bminArcsec: number; bpaDeg: number; source: string } | null;
  wcs: { summary: string; centre: { lon: number; lat: number; frame: string } | null; pixelScaleArcsec: { x: number; y: number } } | null;
  wcsError?: string;
  stats: Pick<ImageStats, 'min' | 'max' | 'mean' | 'median' | 'rmsMad' | 'finiteCount' | 'nanCount' | 'zscale'>;
  warnings: string[];
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toPrecision(6) : String(v);
}

function textReport(r: InfoReport): string {
  const lines = [
    `File:      ${r.file} (${(r.sizeBytes / 1024 ** 2).toFixed(1)} MiB, ${r.hdus.length} HDU${r.hdus.length === 1 ? '' : 's'})`,
    `HDU:       ${r.hdu}   ${r.width} × ${r.height}   BITPIX ${r.bitpix}`,
  ];
  if (r.planeAxes.length) lines.push(`Planes:    ${r.planeAxes.map((a, i) => `${a.ctype || `axis ${i + 3}`}[${r.plane[i] ?? 0}/${a.length}]`).join('  ')}`);
  lines.push(`Unit:      ${r.bunit || '(none)'}`);
  lines.push(
    r.beam
      ? `Beam:      ${r.beam.bmajArcsec.toFixed(2)}" × ${r.beam.bminArcsec.toFixed(2)}", PA ${r.beam.bpaDeg.toFixed(1)}° (from ${r.beam.source})`
      : 'Beam:      (none found)',
  );
  if (r.wcs) {
    lines.push(`WCS:       ${r.wcs.summary}`);
    if (r.wcs.centre) lines.push(`Centre:    ${r.wcs.centre.lon.toFixed(6)} ${r.wcs.centre.lat.toFixed(6)} deg (${r.wcs.centre.frame})`);
    lines.push(`Pixel:     ${r.wcs.pixelScaleArcsec.x.toFixed(4)}" × ${r.wcs.pixelScaleArcsec.y.toFixed(4)}"`);
  } else {
    lines.push(`WCS:       none${r.wcsError ? ` (${r.wcsError})` : ''}`);
  }
  const s = r.stats;
  lines.push(`Stats:     min ${fmt(s.min)}  max ${fmt(s.max)}  mean ${fmt(s.mean)}  median ${fmt(s.median)}  rms(MAD) ${fmt(s.rmsMad)}`);
  lines.push(`           zscale ${fmt(s.zscale.z1)} … ${fmt(s.zscale.z2)}   NaN/blank ${s.nanCount} of ${s.finiteCount + s.nanCount} sampled`);
  for (const w of r.warnings) lines.push(`Warning:   ${w}`);
  return lines.join('\n') + '\n';
}

export const infoCommand: CliCommand = {
  summary: 'describe a FITS image (dimensions, axes, WCS, beam, statistics)',
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean', default: false },
        hdu: { type: 'string' },
        plane: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
    });
    if (values.help) {
      io.stdout.write(HELP);
      return 0;
    }
    if (positionals.length !== 1) {
      io.stderr.write(`cirasa info: expected one FILE\n\n${HELP}`);
      return 64;
    }
    const file = positionals[0]!;
    const hdu = values.hdu === undefined ? undefined : Number(values.hdu);
    const plane = values.plane === undefined ? undefined : values.plane.split(',').map(Number);
    if ((hdu !== undefined && !Number.isInteger(hdu)) || plane?.some((p) => !Number.isInteger(p) || p < 0)) {
      io.stderr.write('cirasa info: --hdu and --plane take non-negative integers\n');
      return 64;
    }
    const image = await openFitsImage(file, { ...(hdu !== undefined ? { hdu } : {}), ...(plane ? { plane } : {}) });
    try {
      const [hdus, stats] = await Promise.all([listHdus(file), sampleImageStats(image)]);
      let wcs: InfoReport['wcs'] = null;
      let wcsError: string | undefined;
      try {
        const w = parseWcs(image.header.values);
        wcs = {
          summary: w.describe(),
          centre: w.pixelToWorld({ x: (image.width - 1) / 2, y: (image.height - 1) / 2 }),
          pixelScaleArcsec: { x: w.pixelScaleDeg.x * 3600, y: w.pixelScaleDeg.y * 3600 },
        };
      } catch (err) {
        wcsError = err instanceof Error ? err.message : String(err);
      }
      const report: InfoReport = {
        file: basename(file),
        sizeBytes: image.fileSizeBytes,
        hdus: hdus.map((h) => ({ index: h.index, kind: h.kind, ...(h.extname ? { extname: h.extname } : {}), bitpix: h.bitpix, axes: h.axes })),
        hdu: image.hdu,
        width: image.width,
        height: image.height,
        bitpix: image.bitpix,
        planeAxes: image.planeAxes,
        plane: image.plane,
        bunit: image.bunit,
        beam: image.beam
          ? { bmajArcsec: image.beam.bmajDeg * 3600, bminArcsec: image.beam.bminDeg * 3600, bpaDeg: image.beam.bpaDeg, source: image.beam.source }
          : null,
        wcs,
        ...(wcsError ? { wcsError } : {}),
        stats: {
          min: stats.min,
          max: stats.max,
          mean: stats.mean,
          median: stats.median,
          rmsMad: stats.rmsMad,
          finiteCount: stats.finiteCount,
          nanCount: stats.nanCount,
          zscale: stats.zscale,
        },
        warnings: image.warnings,
      };
      io.stdout.write(values.json ? JSON.stringify(report, null, 2) + '\n' : textReport(report));
      return 0;
    } finally {
      await image.close();
    }
  },
};
