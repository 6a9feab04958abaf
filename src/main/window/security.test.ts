import { describe, expect, it } from 'vitest';
import { isPermissionAllowed, isSameDocument, safeExternalUrl, withContentSecurityPolicy } from './security';

const RENDERER = 'file:///Applications/CIRASA.app/Contents/Resources/app.asar/dist/renderer/index.html';

describe('desktop shell security rules', () => {
  it('opens only plain https links externally', () => {
    expect(safeExternalUrl('https://www.astropy.org/docs?x=1#y')).toBe('https://www.astropy.org/docs?x=1#y');
    for (const bad of [
      'http://example.org/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
      'https://user:pw@example.org/',
      'https://example.org/\nX',
      'https://',
      'not a url',
      `https://example.org/${'a'.repeat(3000)}`,
    ]) {
      expect(safeExternalUrl(bad), bad).toBeNull();
    }
  });

  it('allows navigation only to our own document (hash routes and reloads)', () => {
    expect(isSameDocument(RENDERER, RENDERER)).toBe(true);
    expect(isSameDocument(`${RENDERER}#/image/3`, RENDERER)).toBe(true);
    expect(isSameDocument('file:///Applications/CIRASA.app/Contents/Resources/app.asar/dist/renderer/other.html', RENDERER)).toBe(false);
    expect(isSameDocument('file:///tmp/evil.html', RENDERER)).toBe(false);
    expect(isSameDocument('https://evil.example/', RENDERER)).toBe(false);
    expect(isSameDocument('cirasa-tile://local/tiles/a/0/0/0', RENDERER)).toBe(false);
    // Chromium and Node may encode the same path differently.
    expect(isSameDocument('file:///home/me/My%20Apps/dist/renderer/index.html', 'file:///home/me/My Apps/dist/renderer/index.html')).toBe(true);
    expect(isSameDocument('file:///c:/Program%20Files/CIRASA/index.html', 'file:///C:/Program Files/CIRASA/index.html')).toBe(true);
  });

  it('replaces any CSP a response carried with ours and keeps the other headers', () => {
    const out = withContentSecurityPolicy({ 'content-security-policy': ["default-src *"], 'Content-Type': ['text/html'], 'x-one': 'v' });
    expect(Object.keys(out).filter((k) => k.toLowerCase() === 'content-security-policy')).toEqual(['Content-Security-Policy']);
    const csp = out['Content-Security-Policy']![0]!;
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "connect-src 'self' cirasa-tile:",
      "worker-src 'self' blob:",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-eval');
    expect(out['Content-Type']).toEqual(['text/html']);
    expect(out['x-one']).toEqual(['v']);
    expect(withContentSecurityPolicy(undefined)['Content-Security-Policy']).toEqual([csp]);
  });

  it('denies permissions except clipboard write from our own document', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'fullscreen', 'hid']) {
      expect(isPermissionAllowed(p, RENDERER, RENDERER), p).toBe(false);
    }
    expect(isPermissionAllowed('clipboard-sanitized-write', RENDERER, RENDERER)).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example/', RENDERER)).toBe(false);
  });
});
