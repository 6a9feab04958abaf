import { describe, it, expect } from 'vitest';
import { parseTruthCsv } from './truthCsv';

describe('parseTruthCsv', () => {
  it('reads the simulate truth CSV by column name and converts bmaj to pixels', () => {
    const text =
      'id,ra,dec,x,y,peak,flux,bmaj,bmin,pa,type\n' +
      '1,187.5,-45,10.25,20.5,0.001,0.001,15,15,0,point\n' +
      '2,187.4,-45.1,30,40,0.0005,0.002,30,15,45,extended\n';
    expect(parseTruthCsv(text, 4)).toEqual([
      { id: 1, x: 10.25, y: 20.5, peak: 0.001, flux: 0.001, majorFwhmPx: 3.75, type: 'point' },
      { id: 2, x: 30, y: 40, peak: 0.0005, flux: 0.002, majorFwhmPx: 7.5, type: 'extended' },
    ]);
  });

  it('accepts a header-only file (a noise map) and names the line of a bad row', () => {
    expect(parseTruthCsv('id,ra,dec,x,y,peak,flux,bmaj,bmin,pa,type\n', 4)).toEqual([]);
    expect(() => parseTruthCsv('id,x,y,peak,flux,bmaj,type\n1,a,2,3,4,5,point\n', 4, 't.csv')).toThrow(/t\.csv: line 2: "x"/);
    expect(() => parseTruthCsv('id,x,y,peak,flux,bmaj,type\n1,1,2,3,4,5,blob\n', 4)).toThrow(/line 2: type/);
    expect(() => parseTruthCsv('id,x,y\n', 4)).toThrow(/no "peak" column/);
  });
});
