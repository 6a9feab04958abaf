import { CONTENT_SECURITY_POLICY } from '../transport/staticFiles';
import { documentUrl } from '../transport/ipc';

/*
 * Pure security decisions of the desktop shell (no Electron import, unit-tested under Node).
 * mainWindow.ts applies them to Electron's events.
 */

export { CONTENT_SECURITY_POLICY };

/**
 * A link the user may open in the OS browser: https only, a real host name, no embedded credentials,
 * no control characters. Returns the normalized URL, or null to refuse.
 */
export function safeExternalUrl(raw: string): string | null {
  if (typeof raw !== 'string' || raw.length > 2048 || /[\u0000-\u001f\u007f\s]/.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || !url.hostname || url.username || url.password) return null;
  return url.href;
}

/** Navigation inside the window is allowed only to the renderer's own document (reload, hash routes). */
export function isSameDocument(target: string, rendererUrl: string): boolean {
  const a = documentUrl(target);
  return a !== null && a.startsWith('file:') && a === documentUrl(rendererUrl);
}

export type HeaderMap = Record<string, string[] | string>;

/** Response headers with our CSP set (any CSP the response carried, in any letter case, is replaced). */
export function withContentSecurityPolicy(headers: HeaderMap | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (k.toLowerCase() === 'content-security-policy') continue;
    out[k] = Array.isArray(v) ? v : [v];
  }
  out['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return out;
}

/**
 * Permission requests are denied, except writing (sanitized) text to the clipboard from our own
 * document — the "copy coordinates" buttons need it and it cannot read anything.
 */
export function isPermissionAllowed(permission: string, requestingUrl: string, rendererUrl: string): boolean {
  return permission === 'clipboard-sanitized-write' && isSameDocument(requestingUrl, rendererUrl);
}
