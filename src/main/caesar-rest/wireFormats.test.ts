import { describe, expect, it } from 'vitest';
import { builtinApp } from '../apps/builtinApp';
import { castJobInputs, describeApp, JobInputError } from './describe';
import { multipartBoundary, parseMultipart, secureFilename } from './multipart';
import { parseTolerantJson } from './tolerantJson';
import { sortKeys } from './wire';

describe('parseTolerantJson', () => {
  it('reads the Infinity/-Infinity/NaN tokens caesar-rest re-emits, but not inside strings', () => {
    const v = parseTolerantJson('{"a": Infinity, "b": -Infinity, "c": NaN, "s": "NaN and Infinity", "d": [1, Infinity]}');
    expect(v).toEqual({ a: Infinity, b: -Infinity, c: null, s: 'NaN and Infinity', d: [1, Infinity] });
  });
  it('still throws on real syntax errors', () => {
    expect(() => parseTolerantJson('{"a": Infinit}')).toThrow();
  });
});

describe('multipart', () => {
  it('parses the parts a browser FormData sends (fields, file name, binary content)', async () => {
    const form = new FormData();
    form.append('tag', 'run 1');
    const bytes = new Uint8Array([0, 13, 10, 45, 45, 255, 1]);
    form.append('file', new Blob([bytes]), 'my image.fits');
    const req = new Request('http://x/', { method: 'POST', body: form });
    const boundary = multipartBoundary(req.headers.get('content-type') ?? undefined)!;
    const parts = parseMultipart(Buffer.from(await req.arrayBuffer()), boundary);
    expect(parts.map((p) => p.name)).toEqual(['tag', 'file']);
    expect(parts[0]!.data.toString()).toBe('run 1');
    expect(parts[1]!.filename).toBe('my image.fits');
    expect([...parts[1]!.data]).toEqual([...bytes]);
  });
  it('secureFilename behaves as Werkzeug\'s', () => {
    expect(secureFilename('../../../etc/passwd')).toBe('etc_passwd');
    expect(secureFilename('My cool movie.mov')).toBe('My_cool_movie.mov');
    expect(secureFilename('i contain cool \xfcml\xe4uts.txt')).toBe('i_contain_cool_umlauts.txt');
    expect(secureFilename('..')).toBe('');
  });
});

describe('describe and job_inputs casting (caesar-rest semantics)', () => {
  it('describe gives caesar-rest\'s option shapes', () => {
    const d = describeApp(builtinApp);
    expect(d.seedSigma).toMatchObject({ type: 'float', default: 5, enum: false, mandatory: false, advanced: 0 });
    expect(d.minPixels).toMatchObject({ type: 'int', default: 5, min: 1 });
  });
  it('ints truncate, numeric strings cast, unknown names are ignored, uncastable values refused', () => {
    expect(castJobInputs(builtinApp, { minPixels: 4.7, seedSigma: '4.5', nosuch: 1 })).toEqual({ minPixels: 4, seedSigma: 4.5 });
    expect(() => castJobInputs(builtinApp, { seedSigma: 'high' })).toThrow(JobInputError);
  });
  it('sortKeys sorts recursively, as Flask jsonify', () => {
    expect(JSON.stringify(sortKeys({ b: 1, a: { d: [{ z: 1, y: 2 }], c: 2 } }))).toBe('{"a":{"c":2,"d":[{"y":2,"z":1}]},"b":1}');
  });
});
