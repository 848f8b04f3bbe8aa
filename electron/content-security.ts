/**
 * The dashboard window's defences beyond its web preferences: a strict Content-Security-Policy on
 * every response, no network requests at all (the page talks to the gateway over IPC only), no
 * permissions, no navigation, no new windows, no webviews.
 */
import type { Session, WebContents } from 'electron';

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * What the dashboard window may load: files under the bundled dashboard's folder, and the inline
 * `data:` images and fonts its CSP allows. Nothing remote, no other file, no devtools pages.
 */
export function isAllowedUrl(url: string, dashboardDirUrl: string): boolean {
  if (url.startsWith('data:')) return true;
  const parsed = fileUrlOf(url);
  if (parsed === null) return false;
  const base = new URL(dashboardDirUrl.endsWith('/') ? dashboardDirUrl : `${dashboardDirUrl}/`);
  return parsed.host === base.host && parsed.pathname.startsWith(base.pathname);
}

/**
 * Who may call the gateway over IPC: only the app's own dashboard page, the exact file URL of
 * dist/renderer/index.html (with any `#server=…` fragment). Never a `data:`, `devtools://`,
 * `blob:` or any other page, even one the window could be made to show.
 */
export function isDashboardPage(url: string, indexHtmlUrl: string): boolean {
  const parsed = fileUrlOf(url);
  if (parsed === null || parsed.search !== '') return false;
  const index = new URL(indexHtmlUrl);
  return parsed.host === index.host && parsed.pathname === index.pathname;
}

/** The URL parsed, when it is a file:// URL; its `..` segments are resolved by the parser. */
function fileUrlOf(url: string): URL | null {
  if (!url.startsWith('file://')) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'file:' ? parsed : null;
  } catch {
    return null;
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
