/**
 * VOTable 1.4 of the flat table in columns.ts, TABLEDATA (default) or BINARY2 (base64 stream, a null
 * bitmap per row). Units are VOUnits (deg, arcsec, Jy, Jy/beam, pix); UCDs are UCD1+ words; the sky
 * frame is a COOSYS referenced by ra/dec; catalogue metadata and the beam are INFO/PARAM elements.
 */
import type { SkyFrame } from '../../shared/domain/coords';
import { walkRows } from '../../shared/domain/source';
import { type CellValue, type ColumnSpec, columnSpecs, extraCells, rowCells, withExtraColumns } from './columns';
import { makeExporter } from './makeExporter';

/** Null marker of int columns (TABLEDATA writes it; BINARY2 sets the null bit too). */
export const INT_NULL = -2147483648;

export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

const COOSYS: Record<SkyFrame, string> = {
  icrs: 'system="ICRS"',
  fk5: 'system="eq_FK5" equinox="J2000"',
  fk4: 'system="eq_FK4" equinox="B1950"',
  galactic: 'system="galactic"',
};

function fieldXml(c: ColumnSpec): string {
  const dt = c.datatype === 'char' ? 'datatype="char" arraysize="*"' : `datatype="${c.datatype}"`;
  const ref = c.name === 'ra' || c.name === 'dec' ? ' ref="sky"' : '';
  const unit = c.unit ? ` unit="${xmlEscape(c.unit)}"` : '';
  const values = c.datatype === 'int' ? `<VALUES null="${INT_NULL}"/>` : '';
  return `   <FIELD name="${c.name}" ID="${c.name}" ${dt}${unit} ucd="${c.ucd}"${ref}><DESCRIPTION>${xmlEscape(c.description)}</DESCRIPTION>${values}</FIELD>`;
}

function tdText(c: ColumnSpec, v: CellValue): string {
  if (v === undefined) return c.datatype === 'int' ? String(INT_NULL) : '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(c.datatype === 'int' ? Math.round(v) : v) : '';
  return xmlEscape(v);
}

/** A growable big-endian byte sink (one allocation per doubling, not per cell). */
class ByteSink {
  buf = Buffer.alloc(1 << 16);
  n = 0;
  reserve(k: number): void {
    if (this.n + k <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.n + k));
    this.buf.copy(next, 0, 0, this.n);
    this.buf = next;
  }
}

function binary2(cols: ColumnSpec[], rows: Record<string, CellValue>[]): string {
  const sink = new ByteSink();
  const maskBytes = Math.ceil(cols.length / 8);
  for (const r of rows) {
    sink.reserve(maskBytes);
    const maskAt = sink.n;
    sink.buf.fill(0, maskAt, maskAt + maskBytes);
    sink.n += maskBytes;
    cols.forEach((c, i) => {
      const v = r[c.name];
      const isNull = v === undefined || (typeof v === 'number' && !Number.isFinite(v));
      if (isNull) sink.buf[maskAt + (i >> 3)]! |= 0x80 >> (i & 7);
      if (c.datatype === 'double') {
        sink.reserve(8);
        sink.n = sink.buf.writeDoubleBE(isNull ? NaN : Number(v), sink.n);
      } else if (c.datatype === 'int') {
        sink.reserve(4);
        sink.n = sink.buf.writeInt32BE(isNull ? INT_NULL : Math.round(Number(v)), sink.n);
      } else {
        const s = isNull ? '' : String(v);
        const len = Buffer.byteLength(s, 'utf8');
        sink.reserve(4 + len);
        sink.n = sink.buf.writeUInt32BE(len, sink.n);
        sink.n += sink.buf.write(s, sink.n, 'utf8');
      }
    });
  }
  const b64 = sink.buf.subarray(0, sink.n).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return lines.join('\n') + '\n';
}

export const votableExporter = makeExporter('votable', 'vot', (cat, opts) => {
  const frame: SkyFrame = opts.frame && opts.frame !== 'image' ? opts.frame : cat.frame;
  const standard = columnSpecs(frame);
  const cols = withExtraColumns(standard, opts.extraColumns);
  const rows = [...walkRows(cat)].map((r) => {
    const cells = rowCells(cat, r, frame);
    return cols.length > standard.length ? Object.assign(cells, extraCells(r, cols, standard.length)) : cells;
  });
  const info = (name: string, value: string | undefined) => (value === undefined ? [] : [`  <INFO name="${name}" value="${xmlEscape(value)}"/>`]);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<VOTABLE version="1.4" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://www.ivoa.net/xml/VOTable/v1.3" xsi:schemaLocation="http://www.ivoa.net/xml/VOTable/v1.3 http://www.ivoa.net/xml/VOTable/v1.3">',
    ` <DESCRIPTION>CIRASA source catalogue ${xmlEscape(cat.name)}: one row per source, then one per fitted component (type=component)</DESCRIPTION>`,
    ' <RESOURCE type="results">',
    ...info('cirasa-catalogue', '1'),
    ...info('name', cat.name),
    ...info('catalogue_id', cat.id),
    ...info('finder', cat.finder),
    ...info('run_id', cat.runId),
    ...info('image', cat.imagePath),
    ...info('created', cat.createdAt),
    `  <COOSYS ID="sky" ${COOSYS[frame]}/>`,
    `  <TABLE name="sources" nrows="${rows.length}">`,
  ];
  if (cat.beam) {
    out.push(
      `   <PARAM name="beam_bmaj" datatype="double" unit="arcsec" ucd="phys.angSize.smajAxis;instr.beam" value="${cat.beam.bmajArcsec}"/>`,
      `   <PARAM name="beam_bmin" datatype="double" unit="arcsec" ucd="phys.angSize.sminAxis;instr.beam" value="${cat.beam.bminArcsec}"/>`,
      `   <PARAM name="beam_pa" datatype="double" unit="deg" ucd="pos.posAng;instr.beam" value="${cat.beam.paDeg}"/>`,
    );
  }
  out.push(...cols.map(fieldXml), '   <DATA>');
  if (opts.encoding === 'binary2') {
    out.push('    <BINARY2>', '     <STREAM encoding="base64">', binary2(cols, rows) + '     </STREAM>', '    </BINARY2>');
  } else {
    out.push('    <TABLEDATA>');
    for (const r of rows) out.push(`     <TR>${cols.map((c) => `<TD>${tdText(c, r[c.name])}</TD>`).join('')}</TR>`);
    out.push('    </TABLEDATA>');
  }
  out.push('   </DATA>', '  </TABLE>', ' </RESOURCE>', '</VOTABLE>');
  return { data: out.join('\n') + '\n', warnings: [] };
});
