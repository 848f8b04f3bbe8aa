/**
 * The one spelling of a request path that routing, access rules and the backend all see (RFC 3986
 * §6.2.2): percent-encoded unreserved characters decoded, other escapes in upper case, dot segments
 * removed, repeated slashes merged. A path that a backend could still read as another one (an
 * encoded slash or backslash, a control character, `..;`) is refused instead. The query is passed
 * on as the client wrote it.
 */
import { RefusedRequest } from './refused-request.js';

const SLASH = 0x2f;
const DOT = 0x2e;
const PERCENT = 0x25;
const QUESTION = 0x3f;
const HASH = 0x23;
const BACKSLASH = 0x5c;
const SPACE = 0x20;
const DEL = 0x7f;

/**
 * `/a/./b//c?x=1` → `/a/b/c?x=1`. An already normal target, the usual case, is returned as it is
 * after one scan of its characters.
 */
export function normalizeOriginForm(target: string): string {
  if (target.charCodeAt(0) !== SLASH) throw new RefusedRequest(400, 'The request target must be a path beginning with "/".');
  const length = target.length;
  let queryStart = length;
  let needsWork = false;
  let previous = 0;
  for (let i = 0; i < length; i++) {
    const c = target.charCodeAt(i);
    if (c <= SPACE || c >= DEL || c === BACKSLASH || c === HASH) throw refusedCharacter(c);
    if (c === QUESTION) {
      queryStart = i;
      break;
    }
    if (c === PERCENT || (previous === SLASH && (c === SLASH || c === DOT))) needsWork = true;
    previous = c;
  }
  for (let i = queryStart + 1; i < length; i++) {
    const c = target.charCodeAt(i);
    if (c <= SPACE || c >= DEL || c === HASH) throw refusedCharacter(c);
  }
  if (!needsWork) return target;
  const path = normalizePath(target.slice(0, queryStart));
  return queryStart === length ? path : path + target.slice(queryStart);
}

/**
 * The path as Java servers (Tomcat, Jetty) read it, which routing and access rules must agree with:
 * each segment's parameters removed and the slashes that leaves merged (`/app;x/admin;jsessionid=1/`
 * → `/app/admin/`). Only for matching: the request goes to the backend as sent.
 */
export function withoutPathParameters(path: string): string {
  if (!path.includes(';')) return path;
  return path.replace(SEGMENT_PARAMETERS, '').replace(REPEATED_SLASHES, '/');
}

const SEGMENT_PARAMETERS = /;[^/]*/g;
const REPEATED_SLASHES = /\/{2,}/g;

/** The slow path of `normalizeOriginForm`, for a path (no query) that has escapes, dots or `//`. */
function normalizePath(path: string): string {
  const parts = decodeUnreserved(path).split('/');
  const segments: string[] = [];
  let trailingSlash = false;
  // parts[0] is the empty string before the leading slash.
  for (let i = 1; i < parts.length; i++) {
    const segment = parts[i]!;
    const last = i === parts.length - 1;
    if (segment === '' || segment === '.') {
      trailingSlash = last;
      continue;
    }
    if (segment === '..') {
      segments.pop();
      trailingSlash = last;
      continue;
    }
    // Tomcat and other Java servers read `/..;x/` as `/../`: a way around any rule on the path.
    if (segment.startsWith('.;') || segment.startsWith('..;')) {
      throw new RefusedRequest(400, 'A path segment may not be a dot segment with parameters ("..;").');
    }
    segments.push(segment);
  }
  if (segments.length === 0) return '/';
  return `/${segments.join('/')}${trailingSlash ? '/' : ''}`;
}

/** Decodes `%XX` escapes of unreserved characters and upper-cases the hex digits of the rest. */
function decodeUnreserved(path: string): string {
  let out = '';
  let copiedUpTo = 0;
  for (let i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 3)) {
    const high = hexValue(path.charCodeAt(i + 1));
    const low = hexValue(path.charCodeAt(i + 2));
    if (high < 0 || low < 0) throw new RefusedRequest(400, 'The path has a "%" that is not followed by two hexadecimal digits.');
    const byte = high * 16 + low;
    if (byte === SLASH || byte === BACKSLASH) {
      throw new RefusedRequest(400, 'An encoded slash or backslash (%2F, %5C) in the path is not accepted: backends disagree on what it means.');
    }
    if (byte < SPACE || byte === DEL) throw new RefusedRequest(400, 'An encoded control character (such as %00) in the path is not accepted.');
    out += path.slice(copiedUpTo, i);
    out += isUnreserved(byte) ? String.fromCharCode(byte) : `%${HEX[high]}${HEX[low]}`;
    copiedUpTo = i + 3;
  }
  return out + path.slice(copiedUpTo);
}

const HEX = '0123456789ABCDEF';

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

/** ALPHA / DIGIT / "-" / "." / "_" / "~" (RFC 3986 §2.3). */
function isUnreserved(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === DOT || c === 0x5f || c === 0x7e;
}

function refusedCharacter(c: number): RefusedRequest {
  if (c === BACKSLASH) return new RefusedRequest(400, 'A backslash in the path is not accepted: some servers read it as "/".');
  if (c === HASH) return new RefusedRequest(400, 'A request target may not contain "#".');
  return new RefusedRequest(400, 'The request target contains a space, a control character or a character outside ASCII.');
}
