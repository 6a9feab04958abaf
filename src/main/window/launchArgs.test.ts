import { describe, expect, it } from 'vitest';
import { fileArgument, readHandOver } from './launchArgs';

describe('launch arguments', () => {
  it('finds the file argument in development and packaged command lines', () => {
    expect(fileArgument(['/x/electron', '/repo', 'data/a.fits'], { packaged: false, cwd: '/home/me' })).toBe('/home/me/data/a.fits');
    expect(fileArgument(['/opt/CIRASA/cirasa', '/abs/b.fits'], { packaged: true, cwd: '/home/me' })).toBe('/abs/b.fits');
    // Chromium switches are skipped, and the app path is never mistaken for a file in development.
    expect(
      fileArgument(['/x/electron', '/repo', '--allow-file-access-from-files', '--original-process-start-time=1', 'c.fits'], { packaged: false, cwd: '/w' }),
    ).toBe('/w/c.fits');
    expect(fileArgument(['/x/electron', '.'], { packaged: false, cwd: '/w' })).toBeNull();
    expect(fileArgument(['/opt/CIRASA/cirasa'], { packaged: true, cwd: '/w' })).toBeNull();
    expect(fileArgument(['/opt/CIRASA/cirasa', '--', '-odd-name.fits'], { packaged: true, cwd: '/w' })).toBe('/w/-odd-name.fits');
  });

  it('accepts only an absolute path string from another instance', () => {
    expect(readHandOver({ path: '/abs/a.fits' })).toBe('/abs/a.fits');
    for (const bad of [null, undefined, 'str', { path: 'rel.fits' }, { path: 3 }, { path: '' }, { path: `/${'a'.repeat(5000)}` }]) {
      expect(readHandOver(bad)).toBeNull();
    }
  });
});
