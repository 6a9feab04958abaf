import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { AppError } from '../../shared/contract/errors';
import { isSkyFrame } from '../../shared/domain/coords';
import { CatalogueReaderRegistry, DEFAULT_READERS, geometryFromImage, type ReadOptions } from '../catalogue';
import { EXPORTERS, getExporter, type ExportOptions } from '../export';
import { EXIT_DATAERR, EXIT_USAGE, parseFlags, type CliCommand } from './io';

const HELP = `Usage: cirasa convert IN --to FORMAT -o OUT [options]

Convert a source catalogue between formats through the normalized catalogue model.
Input formats (detected from the content unless --from is given):
  ${DEFAULT_READERS.map((r) => r.id).join(', ')}
Output formats: ${EXPORTERS.map((e) => e.id).join(', ')}

Options:
  --to FORMAT          output format (required): ${EXPORTERS.map((e) => e.id).join('|')}
  -o, --out FILE       output file (required; '-' writes to standard output)
  --from FORMAT        input format id (default: detected)
  --frame FRAME        fk5|icrs|galactic|image (image: DS9 only, 1-based pixels; default: the catalogue's frame)
  --image FITS         image the catalogue was made from: its WCS and beam convert pixel sizes and angles
                       (default: the image the catalogue names, when that file exists)
                       (SExtractor), and island contours to sky coordinates (DS9)
  --pixel-scale ARCSEC pixel scale when no image is given (assumes north up, east left)
  --encoding ENC       VOTable serialization: tabledata|binary2 (default tabledata)
  -h, --help           this help
`;

export const convertCommand: CliCommand = {
  summary: 'convert a source catalogue (SExtractor, CAESAR, CSV, VOTable, JSON) to DS9 regions, VOTable, CSV or JSON',
  async run(argv, io) {
    const parsed = parseFlags('convert', HELP, io, argv, {
      to: { type: 'string' }, out: { type: 'string', short: 'o' }, from: { type: 'string' }, frame: { type: 'string' },
      image: { type: 'string' }, 'pixel-scale': { type: 'string' }, encoding: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    });
    if (!parsed) return EXIT_USAGE;
    const values: Record<string, string | boolean | undefined> = parsed.values;
    const positionals = parsed.positionals;
    if (values.help) {
      io.stdout.write(HELP);
      return 0;
    }
    const usage = (msg: string) => {
      io.stderr.write(`cirasa convert: ${msg}\nRun 'cirasa convert --help' for the options.\n`);
      return EXIT_USAGE;
    };
    const input = positionals[0];
    if (!input || positionals.length > 1) return usage('give exactly one input catalogue');
    const to = values.to as string | undefined;
    if (!to || !EXPORTERS.some((e) => e.id === to)) return usage(`--to must be one of ${EXPORTERS.map((e) => e.id).join(', ')}`);
    const out = values.out as string | undefined;
    if (!out) return usage('-o/--out is required');
    const frame = values.frame as string | undefined;
    if (frame !== undefined && frame !== 'image' && !isSkyFrame(frame)) return usage(`--frame must be fk5, icrs, galactic or image, not '${frame}'`);
    if (frame === 'image' && to !== 'ds9') return usage('--frame image applies to --to ds9 only');
    const encoding = values.encoding as string | undefined;
    if (encoding !== undefined && encoding !== 'tabledata' && encoding !== 'binary2') return usage('--encoding must be tabledata or binary2');
    const scaleText = values['pixel-scale'] as string | undefined;
    const pixelScaleArcsec = scaleText !== undefined ? Number(scaleText) : undefined;
    if (pixelScaleArcsec !== undefined && !(pixelScaleArcsec > 0)) return usage(`--pixel-scale must be a positive number of arcsec, not '${scaleText}'`);

    try {
      const registry = new CatalogueReaderRegistry();
      if (values.from) registry.get(values.from as string);
      const geo: ReadOptions = values.image ? await geometryFromImage(values.image as string) : {};
      if (pixelScaleArcsec !== undefined) geo.pixelScaleArcsec = pixelScaleArcsec;
      const cat = await registry.read(input, { ...geo, format: values.from as string | undefined });
      // A catalogue that names its image (ours, from `cirasa find` or the app) gets that image's WCS for the
      // export when none was given: island contours and sizes need it. --image or --pixel-scale win.
      if (!values.image && pixelScaleArcsec === undefined && cat.imagePath && existsSync(cat.imagePath)) {
        Object.assign(geo, await geometryFromImage(cat.imagePath));
        io.stderr.write(`cirasa convert: using the WCS of ${cat.imagePath} (the catalogue's image; --image overrides)\n`);
      }
      const opts: ExportOptions = { wcs: geo.wcs, pixelScaleArcsec: geo.pixelScaleArcsec, frame: frame as ExportOptions['frame'], encoding: encoding as ExportOptions['encoding'] };
      const { data, warnings } = getExporter(to).render(cat, opts);
      if (out === '-') io.stdout.write(data);
      else await writeFile(out, data, 'utf8');
      for (const w of warnings) io.stderr.write(`cirasa convert: warning: ${w}\n`);
      const comps = cat.sources.reduce((n, s) => n + s.components.length, 0);
      io.stderr.write(`cirasa convert: ${cat.sources.length} sources, ${comps} components (${cat.finder}) → ${out === '-' ? 'stdout' : out} (${to})\n`);
      return 0;
    } catch (err) {
      if (err instanceof AppError) {
        io.stderr.write(`cirasa convert: ${err.message} [${err.code}]\n`);
        return EXIT_DATAERR;
      }
      throw err;
    }
  },
};
