/**
 * Reads a request target in the forms a gateway accepts (RFC 9112 §3.2): origin-form (`/path?q`)
 * and absolute-form (`http://host/path?q`, which names the host itself and then wins over the Host
 * header). Either way the backend gets origin-form with the normalized path.
 */
import { RefusedRequest } from './refused-request.js';
import { normalizeOriginForm } from './request-path.js';

export interface RequestTarget {
  /** Normalized path and the original query, as forwarded. */
  url: string;
  /** The host an absolute-form target named, or undefined for origin-form. */
  authority: string | undefined;
}

const SLASH = 0x2f;

export function parseRequestTarget(target: string): RequestTarget {
  if (target.charCodeAt(0) === SLASH) return { url: normalizeOriginForm(target), authority: undefined };
  return parseAbsoluteForm(target);
}

function parseAbsoluteForm(target: string): RequestTarget {
  const schemeEnd = target.indexOf('://');
  const scheme = schemeEnd < 0 ? '' : target.slice(0, schemeEnd).toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') {
    throw new RefusedRequest(400, 'The request target must be a path ("/…") or an http:// or https:// address.');
  }
  const authorityStart = schemeEnd + 3;
  let authorityEnd = authorityStart;
  while (authorityEnd < target.length && target[authorityEnd] !== '/' && target[authorityEnd] !== '?') authorityEnd++;
  const authority = target.slice(authorityStart, authorityEnd);
  if (!isHostAndPort(authority)) throw new RefusedRequest(400, 'The address in the request target has no valid host name.');
  const rest = target.slice(authorityEnd);
  const originForm = rest === '' ? '/' : rest.charCodeAt(0) === SLASH ? rest : `/${rest}`;
  return { url: normalizeOriginForm(originForm), authority };
}

/** `name`, `name:port`, `[v6]:port`: no user information (RFC 9110 §4.2.4), nothing a Host header may not hold. */
function isHostAndPort(authority: string): boolean {
  return /^(?:[a-z0-9_.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i.test(authority);
}
