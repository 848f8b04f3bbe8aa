/**
 * Serves the built dashboard (the web console) from a directory: known files as they are, any
 * other path as index.html so the single-page app can route itself, nothing outside the directory.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

export const DASHBOARD_CSP =
  "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'";

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

const NOT_BUILT_PAGE =
  'The Switchboard dashboard has not been built yet.\n\n' +
  'Run `npm run build:renderer` in the Switchboard folder, then reload this page.\n' +
  'The admin API under /api/ works without it.\n';

/** Answers a GET or HEAD for `pathname` (the raw, still percent-encoded URL path). */
export async function serveDashboard(
  req: IncomingMessage,
  res: ServerResponse,
  dashboardDir: string | undefined,
  pathname: string,
): Promise<void> {
  const root = dashboardDir ? resolve(dashboardDir) : undefined;
  const indexFile = root ? join(root, 'index.html') : undefined;
  if (!root || !indexFile || !(await isFile(indexFile))) {
    sendText(req, res, 503, NOT_BUILT_PAGE);
    return;
  }

  const relative = decodedRelativePath(pathname);
  if (relative === null) {
    sendText(req, res, 400, 'Bad request: the path is not valid.\n');
    return;
  }
  const requested = resolve(root, relative);
  if (requested !== root && !requested.startsWith(root + sep)) {
    sendText(req, res, 403, 'Forbidden: the path leaves the dashboard folder.\n');
    return;
  }

  const file = (await isFile(requested)) ? requested : indexFile;
  await sendFile(req, res, file, file === indexFile);
}

/** The path below the dashboard folder, or null for one that cannot be a file name. */
function decodedRelativePath(pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  // Backslashes are separators on Windows, where the packaged app runs.
  return decoded.replace(/\\/g, '/').replace(/^\/+/, '');
}

async function sendFile(req: IncomingMessage, res: ServerResponse, file: string, isIndex: boolean): Promise<void> {
  const info = await stat(file);
  const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const headers: Record<string, string | number> = {
    'Content-Type': type,
    'Content-Length': info.size,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    // Vite names built assets by content hash, so only index.html must be fetched fresh each time.
    'Cache-Control': isIndex || !/[\\/]assets[\\/]/.test(file) ? 'no-cache' : 'public, max-age=31536000, immutable',
  };
  if (type.startsWith('text/html')) {
    headers['Content-Security-Policy'] = DASHBOARD_CSP;
    headers['X-Frame-Options'] = 'DENY';
  }
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

function sendText(req: IncomingMessage, res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : text);
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
