/**
 * The dashboard window's defences beyond its web preferences: a strict Content-Security-Policy on
 * every response, no network requests at all (the page talks to the gateway over IPC only), no
 * permissions, no navigation, no new windows, no webviews.
 */
import type { Session, WebContents } from 'electron';

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Only the bundled dashboard may load: files under its own folder. */
export function isAllowedUrl(url: string, dashboardDirUrl: string): boolean {
  if (url.startsWith('devtools://') || url.startsWith('data:')) return true;
  if (!url.startsWith('file://')) return false;
  try {
    const parsed = new URL(url);
    const base = new URL(dashboardDirUrl.endsWith('/') ? dashboardDirUrl : `${dashboardDirUrl}/`);
    return parsed.pathname.startsWith(base.pathname);
  } catch {
    return false;
  }
}

export function hardenSession(session: Session, dashboardDirUrl: string): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedUrl(details.url, dashboardDirUrl) });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
