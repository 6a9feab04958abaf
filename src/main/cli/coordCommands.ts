/**
 * `cirasa xy2sky` and `cirasa sky2xy`: convert pixel <-> sky positions read from stdin, one per line,
 * with the image's celestial WCS. Bad lines are reported on stderr (with their line number) and skipped;
 * the exit code is 65 at the end if any line failed.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { readHeaderOnly } from '../fits';
import { AppError } from '../../shared/contract/errors';
import { type SkyFrame, type World, fitsToPixel0, isSkyFrame, pixel0ToFits } from '../../shared/domain/coords';
import { type Wcs, convertFrame, formatSexagesimal, parseSkyCoordinate, parseWcs } from '../wcs';
import { type CliCommand, type CliIo, EXIT_DATAERR, EXIT_USAGE } from './io';

const XY2SKY_HELP = `Usage: cirasa xy2sky FILE [--frame icrs|fk5|fk4|galactic] [--fits] [--hdu N] [--sexagesimal]

Reads "x y" pixel positions from stdin (one per line; blank lines and # comments skipped) and prints
"lon lat" in degrees (9 decimals) for each.

Options:
  --frame F       output frame (default: the image's own frame and equinox; another fk5/fk4 is J2000/B1950)
  --fits          input pixels are 1-based FITS/DS9 image pixels (default: 0-based, 0 = first pixel centre)
  --hdu N         0-based HDU (default: the first image HDU)
  --sexagesimal   also print hh:mm:ss.sss ±dd:mm:ss.ss (degrees for galactic)
  -h, --help      this help
`;

const SKY2XY_HELP = `Usage: cirasa sky2xy FILE [--frame icrs|fk5|fk4|galactic] [--fits] [--hdu N]

Reads "lon lat" from stdin (one per line): decimal degrees, or sexagesimal such as
"12:34:56.78 -45:06:07.8" or "12h34m56.78s -45d06m07.8s" (RA in hours). Prints "x y" (6 decimals).

Options:
  --frame F    frame of the input positions (default: the image's own frame and equinox;
               another fk5/fk4 is J2000/B1950)
  --fits       print 1-based FITS/DS9 image pixels (default: 0-based, 0 = first pixel centre)
  --hdu N      0-based HDU (default: the first image HDU)
  -h, --help   this help
`;

interface CommonArgs {
  file: string;
  frame?: SkyFrame;
  fits: boolean;
  hdu?: number;
  sexagesimal: boolean;
}

function parseCommon(argv: string[], io: CliIo, help: string, withSexagesimal: boolean): CommonArgs | number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        frame: { type: 'string' },
        fits: { type: 'boolean', default: false },
        hdu: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        ...(withSexagesimal ? { sexagesimal: { type: 'boolean', default: false } } : {}),
      },
    });
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n\n${help}`);
    return EXIT_USAGE;
  }
  const v = parsed.values as { frame?: string; fits: boolean; hdu?: string; help: boolean; sexagesimal?: boolean };
  if (v.help) {
    io.stdout.write(help);
    return 0;
  }
  if (parsed.positionals.length !== 1) {
    io.stderr.write(`expected exactly one FILE\n\n${help}`);
    return EXIT_USAGE;
  }
  if (v.frame !== undefined && !isSkyFrame(v.frame)) {
    io.stderr.write(`--frame must be icrs, fk5, fk4 or galactic (got "${v.frame}")\n`);
    return EXIT_USAGE;
  }
  let hdu: number | undefined;
  if (v.hdu !== undefined) {
    hdu = Number(v.hdu);
    if (!Number.isInteger(hdu) || hdu < 0) {
      io.stderr.write(`--hdu must be a non-negative integer (got "${v.hdu}")\n`);
      return EXIT_USAGE;
    }
  }
  return {
    file: parsed.positionals[0]!,
    ...(v.frame !== undefined ? { frame: v.frame as SkyFrame } : {}),
    fits: v.fits,
    ...(hdu !== undefined ? { hdu } : {}),
    sexagesimal: v.sexagesimal ?? false,
  };
}

async function loadWcs(args: CommonArgs, io: CliIo): Promise<Wcs | number> {
  try {
    const header = await readHeaderOnly(args.file, args.hdu);
    return parseWcs(header.values, args.file);
  } catch (err) {
    io.stderr.write(`${args.file}: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT_DATAERR;
  }
}

/** Run `convert` on each non-blank, non-comment stdin line; it returns the output line or throws. */
async function eachLine(io: CliIo, convert: (line: string) => string): Promise<number> {
  let failed = 0;
  let n = 0;
  const rl = createInterface({ input: io.stdin, crlfDelay: Infinity });
  for await (const raw of rl) {
    n++;
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    try {
      io.stdout.write(`${convert(line)}\n`);
    } catch (err) {
      failed++;
      io.stderr.write(`line ${n}: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
  return failed > 0 ? EXIT_DATAERR : 0;
}

function readPair(line: string): [number, number] {
  const parts = line.split(/[\s,]+/);
  const nums = parts.map(Number);
  if (parts.length !== 2 || !nums.every(Number.isFinite)) {
    throw new AppError('validation', `expected two numbers "x y", got "${line}"`);
  }
  return [nums[0]!, nums[1]!];
}

export const xy2skyCommand: CliCommand = {
  summary: 'pixel -> sky coordinates for "x y" lines on stdin',
  async run(argv, io) {
    const args = parseCommon(argv, io, XY2SKY_HELP, true);
    if (typeof args === 'number') return args;
    const wcs = await loadWcs(args, io);
    if (typeof wcs === 'number') return wcs;
    const frame = args.frame ?? wcs.frame;
    return eachLine(io, (line) => {
      const [x, y] = readPair(line);
      const p = args.fits ? fitsToPixel0({ x, y }) : { x, y };
      const native = wcs.pixelToWorld(p);
      if (!native) throw new AppError('wcs.outOfDomain', `pixel (${x}, ${y}) is outside the ${wcs.projection} projection's domain`);
      const w: World = frame === native.frame ? native : convertFrame(native, frame, fromEquinox(wcs));
      const text = `${w.lon.toFixed(9)} ${w.lat.toFixed(9)}`;
      if (!args.sexagesimal) return text;
      const s = formatSexagesimal(w, { precision: 3 });
      return `${text} ${s.lon} ${s.lat}`;
    });
  },
};

export const sky2xyCommand: CliCommand = {
  summary: 'sky -> pixel coordinates for "lon lat" lines on stdin',
  async run(argv, io) {
    const args = parseCommon(argv, io, SKY2XY_HELP, false);
    if (typeof args === 'number') return args;
    const wcs = await loadWcs(args, io);
    if (typeof wcs === 'number') return wcs;
    const frame = args.frame ?? wcs.frame;
    return eachLine(io, (line) => {
      const input = parseSkyCoordinate(line, frame);
      // Positions in the image's own frame keep the image's equinox; others use the frame default.
      const w = frame === wcs.frame ? input : convertFrame(input, wcs.frame, wcs.equinox !== undefined ? { equinox: wcs.equinox } : {});
      const p = wcs.worldToPixel(w);
      if (!p) throw new AppError('wcs.outOfDomain', `(${line}) is outside the ${wcs.projection} projection's domain`);
      const out = args.fits ? pixel0ToFits(p) : p;
      return `${out.x.toFixed(6)} ${out.y.toFixed(6)}`;
    });
  },
};

function fromEquinox(wcs: Wcs): { fromEquinox?: number } {
  return wcs.equinox !== undefined ? { fromEquinox: wcs.equinox } : {};
}
