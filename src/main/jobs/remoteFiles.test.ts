import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MappedFiles } from './remoteFiles';
import type { TransferProgress } from './types';

describe('MappedFiles (shared file system)', () => {
  it('translates remote paths by the longest matching prefix and refuses paths outside every mapping', () => {
    const m = new MappedFiles([
      { remotePrefix: '/scratch', localPrefix: '/mnt/s' },
      { remotePrefix: '/scratch/astro/', localPrefix: '/home/me/cluster' },
    ]);
    expect(m.toLocal('/scratch/other/x.fits')).toBe('/mnt/s/other/x.fits');
    expect(m.toLocal('/scratch/astro/job1/out.txt')).toBe('/home/me/cluster/job1/out.txt');
    expect(m.toLocal('/scratch/astro')).toBe('/home/me/cluster');
    expect(() => m.toLocal('/scratchy/x')).toThrow(expect.objectContaining({ code: 'validation' }));
  });

  it('uploads, reads (undefined when missing) and downloads a directory tree with progress', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mapped-'));
    const m = new MappedFiles([{ remotePrefix: '/remote', localPrefix: join(root, 'shared') }]);
    writeFileSync(join(root, 'in.txt'), 'abc');
    await m.upload(join(root, 'in.txt'), '/remote/job/sub/in.txt');
    expect(await m.readText('/remote/job/sub/in.txt')).toBe('abc');
    expect(await m.readText('/remote/job/none.txt')).toBeUndefined();
    mkdirSync(join(root, 'shared', 'job', 'deep', 'er'), { recursive: true });
    writeFileSync(join(root, 'shared', 'job', 'deep', 'er', 'cat.dat'), '12345');
    const progress: TransferProgress[] = [];
    const files = await m.downloadDir('/remote/job', join(root, 'out'), { onProgress: (p) => progress.push(p) });
    expect(files.map((f) => f.slice(join(root, 'out').length + 1))).toEqual(['deep/er/cat.dat', 'sub/in.txt']);
    expect(readFileSync(join(root, 'out', 'deep', 'er', 'cat.dat'), 'utf8')).toBe('12345');
    expect(progress).toEqual([
      { file: '/remote/job/deep/er/cat.dat', transferredBytes: 5, totalBytes: 5 },
      { file: '/remote/job/sub/in.txt', transferredBytes: 3, totalBytes: 3 },
    ]);
    await expect(m.downloadDir('/remote/nojob', join(root, 'out2'))).rejects.toMatchObject({ code: 'jobs.outputsMissing' });
    rmSync(root, { recursive: true });
  });
});
