import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractTarGz, safeMemberPath } from './tarball';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tarball-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A raw ustar member (what a hostile service could send; GNU tar refuses to create these). */
function member(name: string, body: string, type = '0'): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(Buffer.byteLength(body).toString(8).padStart(11, '0') + '\0', 124);
  h.write('00000000000\0', 136);
  h.write(type, 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  h.fill(' ', 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  const data = Buffer.alloc(Math.ceil(Buffer.byteLength(body) / 512) * 512);
  data.write(body);
  return Buffer.concat([h, data]);
}

async function archive(name: string, ...members: Buffer[]): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, gzipSync(Buffer.concat([...members, Buffer.alloc(1024)])));
  return p;
}

describe('extractTarGz', () => {
  it('reads what GNU tar writes (as cirasa serve and caesar-rest build /output): nested folders, long names, top folder stripped', async () => {
    const src = join(dir, 'src');
    const long = `${'catalog_fitcomp-'.padEnd(120, 'x')}.json`;
    await mkdir(join(src, 'sub'), { recursive: true });
    await writeFile(join(src, 'catalogue.json'), '{"a":1}');
    await writeFile(join(src, 'sub', long), 'L'.repeat(3000));
    await writeFile(join(src, 'empty.log'), '');
    const tgz = join(dir, 'gnu.tar.gz');
    execFileSync('tar', ['-czf', tgz, '-C', src, '--transform', 's,^\\.,job_abc,', '.']);
    const out = join(dir, 'out-gnu');
    const r = await extractTarGz(tgz, out, { stripTop: true });
    expect(r.files.map((f) => f.slice(out.length + 1)).sort()).toEqual(['catalogue.json', 'empty.log', `sub/${long}`]);
    expect(readFileSync(join(out, 'catalogue.json'), 'utf8')).toBe('{"a":1}');
    expect(readFileSync(join(out, 'sub', long), 'utf8')).toBe('L'.repeat(3000));
    expect(readFileSync(join(out, 'empty.log'), 'utf8')).toBe('');
  });

  it('refuses members that climb out or are absolute, writing nothing outside', async () => {
    for (const [i, bad] of ['job_x/../../escaped.txt', '/tmp/abs-escape.txt', 'job_x/a/../../../e.txt'].entries()) {
      const tgz = await archive(`bad${i}.tar.gz`, member('job_x/ok.txt', 'ok'), member(bad, 'evil'));
      const out = join(dir, `out-bad${i}`, 'inner');
      await expect(extractTarGz(tgz, out, { stripTop: true })).rejects.toMatchObject({ code: 'jobs.badResponse', details: { member: bad } });
      expect(existsSync(join(dir, `out-bad${i}`, 'escaped.txt'))).toBe(false);
      expect(existsSync(join(dir, 'escaped.txt'))).toBe(false);
    }
    expect(existsSync('/tmp/abs-escape.txt')).toBe(false);
  });

  it('skips symbolic links and reports them; a truncated archive is jobs.badResponse', async () => {
    const tgz = await archive('link.tar.gz', member('job_x/link', '', '2'), member('job_x/data.txt', 'hello'));
    const out = join(dir, 'out-link');
    const r = await extractTarGz(tgz, out, { stripTop: true });
    expect(r.skipped).toEqual(['job_x/link']);
    expect(await readdir(out)).toEqual(['data.txt']);
    const cut = join(dir, 'cut.tar.gz');
    await writeFile(cut, gzipSync(member('job_x/data.txt', 'x'.repeat(2000)).subarray(0, 900)));
    await expect(extractTarGz(cut, join(dir, 'out-cut'), { stripTop: true })).rejects.toMatchObject({ code: 'jobs.badResponse' });
  });

  it('safeMemberPath: the top folder alone maps to nothing; Windows-style escapes are refused too', () => {
    expect(safeMemberPath('a', 'job_1/', true)).toBeUndefined();
    expect(safeMemberPath('a', './job_1/x/y.txt', true)).toBe('x/y.txt');
    expect(() => safeMemberPath('a', 'job_1\\..\\..\\x', true)).toThrow(/climbs out/);
    expect(() => safeMemberPath('a', 'C:/x', true)).toThrow(/absolute/);
  });
});
