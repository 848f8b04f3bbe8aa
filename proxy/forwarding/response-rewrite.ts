/**
 * Rewrites the backend's own URLs in response headers to the public ones, like IIS ARR's "reverse
 * rewrite host in response headers" and nginx's `proxy_redirect default` / `proxy_cookie_path`:
 * `Location`, `Content-Location` and `Refresh` pointing at the backend's address get the client's
 * scheme and host and the public path; `Set-Cookie` paths are mapped and a `Domain` naming the
 * backend is dropped. Response bodies are never touched.
 */
import type http from 'node:http';
import { toPublicPath, type PathMapping } from '../routing/path-mapping.js';

export interface ResponseRewrite {
  /** Whether the client came in over HTTPS. */
  secure: boolean;
  /** The Host the client sent (the public name), if any. */
  publicHost: string | undefined;
  mapping: PathMapping | undefined;
  /** The server's URL: its scheme, host and port are the backend's own address. */
  backend: URL;
  /** The Host header the backend was sent: the name the backend believes it has. */
  sentHost: string | undefined;
}

/** Whether a response carries anything `rewriteResponseHeaders` might change; allocates nothing. */
export function hasRewritableHeaders(headers: http.IncomingHttpHeaders): boolean {
  return headers.location !== undefined || headers['content-location'] !== undefined || headers.refresh !== undefined || headers['set-cookie'] !== undefined;
}

/** Rewrites the headers in place; headers that need no change are left as the same strings. */
export function rewriteResponseHeaders(headers: http.IncomingHttpHeaders, rewrite: ResponseRewrite): void {
  const { location, refresh } = headers;
  const contentLocation = headers['content-location'];
  if (location !== undefined) headers.location = rewriteUrl(location, rewrite);
  if (contentLocation !== undefined) headers['content-location'] = rewriteUrl(contentLocation, rewrite);
  if (typeof refresh === 'string') headers.refresh = rewriteRefresh(refresh, rewrite);
  const cookies = headers['set-cookie'];
  if (cookies !== undefined) {
    for (let i = 0; i < cookies.length; i++) cookies[i] = rewriteSetCookie(cookies[i]!, rewrite);
  }
}

/** Scheme, authority and the rest (path, query, fragment) of an absolute or scheme-relative URL. */
const ABSOLUTE_URL = /^(?:(https?):)?\/\/([^/?#]*)(.*)$/is;

/**
 * An absolute URL at the backend's own address becomes the public one; a path-absolute reference
 * (`/login`) under the backend prefix gets the public prefix. Anything else (other hosts, relative
 * paths such as `../edit`, which browsers resolve against the public URL already) is left alone.
 */
export function rewriteUrl(value: string, rewrite: ResponseRewrite): string {
  const { mapping } = rewrite;
  if (value.charCodeAt(0) === SLASH && value.charCodeAt(1) !== SLASH) {
    return mapping ? mapPathAndRest(value, mapping) : value;
  }
  const absolute = ABSOLUTE_URL.exec(value);
  if (!absolute) return value;
  const scheme = absolute[1]?.toLowerCase() ?? rewrite.backend.protocol.slice(0, -1);
  const authority = absolute[2]!;
  if (!isBackendAuthority(authority, scheme, rewrite)) return value;
  const rest = absolute[3] || '/';
  const publicRest = mapping && rest.charCodeAt(0) === SLASH ? mapPathAndRest(rest, mapping) : rest;
  // A Host a browser would never send (`evil.test/x`) is not copied into a redirect.
  if (rewrite.publicHost === undefined || !HOST_HEADER.test(rewrite.publicHost)) return publicRest;
  return `${rewrite.secure ? 'https' : 'http'}://${rewrite.publicHost}${publicRest}`;
}

/** A host name, IPv4 address or bracketed IPv6 address, optionally with a port. */
const HOST_HEADER = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;

/** `Refresh: 5; url=http://backend/next` — the URL part rewritten as a Location would be. */
const REFRESH = /^(\s*[\d.]+\s*[;,]\s*(?:url\s*=\s*)?)(.*)$/is;

export function rewriteRefresh(value: string, rewrite: ResponseRewrite): string {
  const match = REFRESH.exec(value);
  if (!match) return value;
  let url = match[2]!.trim();
  const quote = url.length >= 2 && (url[0] === '"' || url[0] === "'") && url[url.length - 1] === url[0] ? url[0] : '';
  if (quote) url = url.slice(1, -1);
  if (url === '') return value;
  const rewritten = rewriteUrl(url, rewrite);
  if (rewritten === url) return value;
  return `${match[1]}${quote}${rewritten}${quote}`;
}

/** Only cookies with a Path (when paths are mapped) or Domain attribute can need a change; the rest are not even split. */
const PATH_OR_DOMAIN = /;\s*(?:path|domain)\s*=/i;
const DOMAIN = /;\s*domain\s*=/i;

/**
 * `Path` under the backend prefix gets the public prefix (`Path=/` under `/wiki/` → `/` becomes
 * `Path=/wiki/`, so the cookie stays with its application); a `Domain` naming the backend's host
 * is dropped, which scopes the cookie to the public host the browser actually used.
 */
export function rewriteSetCookie(cookie: string, rewrite: ResponseRewrite): string {
  if (!(rewrite.mapping ? PATH_OR_DOMAIN : DOMAIN).test(cookie)) return cookie;
  const parts = cookie.split(';');
  const kept: string[] = [parts[0]!];
  let changed = false;
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i]!;
    const equals = part.indexOf('=');
    const name = (equals < 0 ? part : part.slice(0, equals)).trim().toLowerCase();
    const value = equals < 0 ? '' : part.slice(equals + 1).trim();
    if (name === 'domain' && namesBackendHost(value, rewrite)) {
      changed = true;
      continue;
    }
    if (name === 'path' && rewrite.mapping && value.charCodeAt(0) === SLASH) {
      const mapped = toPublicPath(value, rewrite.mapping);
      if (mapped !== undefined && mapped !== value) {
        kept.push(` Path=${mapped}`);
        changed = true;
        continue;
      }
    }
    kept.push(part);
  }
  return changed ? kept.join(';') : cookie;
}

function mapPathAndRest(rest: string, mapping: PathMapping): string {
  let pathEnd = rest.length;
  for (let i = 0; i < rest.length; i++) {
    const code = rest.charCodeAt(i);
    if (code === QUESTION_MARK || code === HASH) {
      pathEnd = i;
      break;
    }
  }
  const path = pathEnd === rest.length ? rest : rest.slice(0, pathEnd);
  const mapped = toPublicPath(path, mapping);
  // `/app//evil.test` on the backend must not become `//evil.test`, which browsers read as another host.
  if (mapped === undefined || startsLikeAnotherHost(mapped)) return rest;
  return pathEnd === rest.length ? mapped : mapped + rest.slice(pathEnd);
}

function startsLikeAnotherHost(path: string): boolean {
  // Browsers drop tabs and line breaks anywhere in a URL (WHATWG URL), so `/\t/evil.test` is `//evil.test`.
  const second = path.replace(TAB_OR_LINE_BREAK, '').charCodeAt(1);
  return second === SLASH || second === BACKSLASH;
}

const TAB_OR_LINE_BREAK = /[\t\n\r]/g;

/**
 * The backend's own address: the server URL's host and port, or the Host header it was sent. A
 * port left out on both sides counts as the same (the backend may build `https://app01/` while
 * being spoken to over http); otherwise the ports must agree once defaults are filled in.
 */
function isBackendAuthority(authority: string, scheme: string, rewrite: ResponseRewrite): boolean {
  if (authority.includes('@')) return false;
  const url = splitAuthority(authority);
  const backendScheme = rewrite.backend.protocol.slice(0, -1);
  if (sameAuthority(url.host, url.port, scheme, rewrite.backend.hostname.toLowerCase(), rewrite.backend.port, backendScheme)) return true;
  if (rewrite.sentHost === undefined) return false;
  const sent = splitAuthority(rewrite.sentHost);
  return sameAuthority(url.host, url.port, scheme, sent.host, sent.port, backendScheme);
}

function sameAuthority(host: string, port: string, scheme: string, ownHost: string, ownPort: string, ownScheme: string): boolean {
  if (host !== ownHost) return false;
  if (port === '' && ownPort === '') return true;
  return effectivePort(port, scheme) === effectivePort(ownPort, ownScheme);
}

function effectivePort(port: string, scheme: string): string {
  if (port !== '') return port;
  return scheme === 'https' ? '443' : '80';
}

/** `Host:port` → lower-cased host (IPv6 literals keep their brackets) and port ('' when absent). */
function splitAuthority(authority: string): { host: string; port: string } {
  const text = authority.trim().toLowerCase();
  const close = text.lastIndexOf(']');
  const colon = text.lastIndexOf(':');
  if (colon > close && (close >= 0 || text.indexOf(':') === colon)) return { host: stripDot(text.slice(0, colon)), port: text.slice(colon + 1) };
  return { host: stripDot(text), port: '' };
}

function stripDot(host: string): string {
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

/** A cookie Domain (leading dot ignored) that is the backend's host, but not the public one. */
function namesBackendHost(domain: string, rewrite: ResponseRewrite): boolean {
  const name = stripDot(domain.toLowerCase().replace(/^\./, ''));
  if (name === '') return false;
  if (rewrite.publicHost !== undefined && name === splitAuthority(rewrite.publicHost).host) return false;
  if (name === rewrite.backend.hostname.toLowerCase() || `[${name}]` === rewrite.backend.hostname.toLowerCase()) return true;
  return rewrite.sentHost !== undefined && name === splitAuthority(rewrite.sentHost).host;
}

const SLASH = 47;
const QUESTION_MARK = 63;
const HASH = 35;
const BACKSLASH = 92;
