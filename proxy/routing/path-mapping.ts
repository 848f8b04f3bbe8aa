/**
 * A route's public path prefix mapped onto the prefix the application has on its server
 * (`/wiki/` → `/`, `/old/` → `/new/`): request paths are mapped on the way in, the backend's own
 * paths on the way out. Both prefixes end with "/", so a mapping always replaces whole segments.
 */

import type http from 'node:http';

export interface PathMapping {
  /** The route's path as configured, e.g. `/wiki/`. */
  readonly publicPrefix: string;
  /** Where the application lives on its server, e.g. `/`. */
  readonly backendPrefix: string;
}

/** The mapping of a route, or undefined when the route passes paths through unchanged. */
export function createPathMapping(publicPrefix: string, backendPrefix: string | undefined): PathMapping | undefined {
  return backendPrefix === undefined ? undefined : { publicPrefix, backendPrefix };
}

/**
 * The request target the backend receives. Routes match case-insensitively, so the public prefix
 * is compared the same way; a target that does not start with it is passed on as it is.
 */
export function toBackendUrl(url: string, mapping: PathMapping): string {
  if (!startsWithIgnoringAsciiCase(url, mapping.publicPrefix)) return url;
  return mapping.backendPrefix + url.slice(mapping.publicPrefix.length);
}

/**
 * The public path of a path on the backend, or undefined when the path lies outside the
 * application's prefix. The prefix without its slash (`/new` for `/new/`), which applications send
 * for their own top folder, maps to the public prefix without its slash.
 */
export function toPublicPath(path: string, mapping: PathMapping): string | undefined {
  const { backendPrefix, publicPrefix } = mapping;
  if (startsWithIgnoringAsciiCase(path, backendPrefix)) return publicPrefix + path.slice(backendPrefix.length);
  if (backendPrefix.length > 1 && path.length === backendPrefix.length - 1 && startsWithIgnoringAsciiCase(backendPrefix, path)) {
    // Published at the root, the prefix without its slash would be the empty string, which a
    // redirect would send the browser back to the same address with: the root it is, then.
    return publicPrefix.length > 1 ? publicPrefix.slice(0, -1) : publicPrefix;
  }
  return undefined;
}

/** `/wiki?x=1` → `/wiki/?x=1`: the address a request for the prefix without its slash is sent to. */
export function withTrailingSlash(url: string): string {
  const queryStart = url.indexOf('?');
  return queryStart < 0 ? `${url}/` : `${url.slice(0, queryStart)}/${url.slice(queryStart)}`;
}

/**
 * 301 for GET and HEAD, which every browser and client knows and which search engines follow;
 * 308 for other methods, so that a form posted to `/wiki` keeps its method and body.
 */
export function sendTrailingSlashRedirect(req: http.IncomingMessage, res: http.ServerResponse): void {
  const method = req.method;
  const status = method === 'GET' || method === 'HEAD' ? 301 : 308;
  res.writeHead(status, { location: withTrailingSlash(req.url ?? '/'), 'content-type': 'text/plain; charset=utf-8', 'content-length': '0' });
  res.end();
}

/** Case-insensitive for ASCII letters only, as host and path matching are; allocates nothing. */
function startsWithIgnoringAsciiCase(text: string, prefix: string): boolean {
  if (text.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    const a = text.charCodeAt(i);
    const b = prefix.charCodeAt(i);
    if (a !== b && (a | 0x20) !== (b | 0x20)) return false;
    if (a !== b && !isAsciiLetter(a)) return false;
  }
  return true;
}

function isAsciiLetter(code: number): boolean {
  const lower = code | 0x20;
  return lower >= 97 && lower <= 122;
}
