/**
 * The headers a backend receives with a request, built in one pass over the client's:
 * - hop-by-hop headers are dropped, and so are the headers the client's `Connection` names, except
 *   the ones that carry framing, routing, identity or forwarding (`Host`, `Content-Length`,
 *   `Cookie`, `X-Forwarded-*`, `Forwarded`, `X-Real-IP`), which a client may not strip that way;
 * - names with an underscore are dropped, as nginx does: CGI, PHP and IIS turn `-` and `_` into
 *   the same variable, so `Content_Length` could stand in for `Content-Length`;
 * - `X-Original-URL` and `X-Rewrite-URL` are dropped: IIS and some frameworks route by them, past
 *   every rule the gateway checked on the real path;
 * - `X-Forwarded-*`, `Forwarded` and `X-Real-IP` are kept only from a trusted proxy;
 * - then the gateway's own forwarding headers, Host and framing are set, after all removal.
 */
import type http from 'node:http';
import type { HostHeaderConfig } from '../config/config-schema.js';
import { bodyIsChunked } from '../requests/request-framing.js';
import type { AddressList } from '../routing/access-rules.js';
import { backendHostHeader } from '../routing/host-header.js';
import { hostOf } from '../routing/request-route.js';
import { connectionTokens, HOP_BY_HOP_HEADERS } from './hop-by-hop.js';

export interface ForwardingFacts {
  /** The TCP peer as the socket reports it. */
  peer: string;
  /** The client's address as the gateway resolved it (the peer, or what a trusted proxy vouched for). */
  client: string;
  /** The peer is one of `trustedProxies`: its forwarding headers are believed and extended. */
  trusted: boolean;
  /** The connection to the gateway is HTTPS. */
  secure: boolean;
  /** The host the client asked for (Host, `:authority`, or the absolute-form target). */
  host: string | undefined;
  /** What the backend's Host header says. */
  backendHost: string;
  /** The body goes chunked, said with an explicit Transfer-Encoding. */
  chunked: boolean;
  /** A WebSocket upgrade: `Connection: Upgrade` and the client's `Upgrade` go along. */
  upgrade: boolean;
  /** The request's method, which decides whether a bodiless request says `Content-Length: 0`. */
  method: string;
}

const HOP_BY_HOP = 1;
const FORWARDING = 2;
const NEVER = 3;
const PROTECTED = 4;

/** Headers with a fixed treatment; every other name is passed on unless `Connection` names it. */
const KINDS = new Map<string, number>([
  ...[...HOP_BY_HOP_HEADERS].map((name): [string, number] => [name, HOP_BY_HOP]),
  ['forwarded', FORWARDING],
  ['x-real-ip', FORWARDING],
  ['x-original-url', NEVER],
  ['x-rewrite-url', NEVER],
  ['host', PROTECTED],
  ['content-length', PROTECTED],
  ['cookie', PROTECTED],
]);

const COLON = 0x3a;
const LOWER_X = 0x78;

/**
 * A flat list, name then value, as undici takes it and writes it out as it is, in order; an object
 * would be copied header by header first.
 */
export type HeaderList = string[];

/**
 * Methods Node's client would send with an empty chunked body when they have none: they get
 * `Content-Length: 0`, as Node gives them. undici passes that on for PUT, POST, PATCH, QUERY,
 * PROPFIND and PROPPATCH and drops it for the others (MKCOL, LOCK, COPY…), which then go without
 * a length: a request with neither length nor chunking has no body (RFC 9112 §6.3), all the same.
 */
const BODY_METHODS_WITHOUT_DEFAULT = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);

export function backendRequestHeaders(incoming: http.IncomingHttpHeaders, facts: ForwardingFacts): HeaderList {
  const out: HeaderList = [];
  const named = connectionTokens(incoming.connection);
  const trusted = facts.trusted;
  let hasProto = false;
  let hasForwardedHost = false;
  let hasRealIp = false;
  let hasLength = false;
  let hasHost = false;
  for (const name in incoming) {
    const value = incoming[name];
    if (value === undefined) continue;
    const kind = KINDS.get(name);
    if (kind === undefined) {
      const first = name.charCodeAt(0);
      // HTTP/2 pseudo-headers (`:path`, `:authority`…) are not headers of HTTP/1.1.
      if (first === COLON || name.includes('_')) continue;
      if (first === LOWER_X && name.startsWith('x-forwarded-')) {
        // X-Forwarded-For is extended below, never passed on as it came.
        if (!trusted || name === 'x-forwarded-for') continue;
        if (name === 'x-forwarded-proto') hasProto = true;
        else if (name === 'x-forwarded-host') hasForwardedHost = true;
        add(out, name, value);
        continue;
      }
      if (named !== undefined && named.has(name)) continue;
      add(out, name, value);
    } else if (kind === PROTECTED) {
      // Host keeps its place, with the value the backend is to see.
      if (name === 'host') {
        hasHost = true;
        out.push('host', facts.backendHost);
        continue;
      }
      if (name === 'content-length') hasLength = true;
      add(out, name, value);
    } else if (kind === FORWARDING && trusted) {
      if (name === 'x-real-ip') hasRealIp = true;
      add(out, name, value);
    }
  }

  const previous = trusted ? incoming['x-forwarded-for'] : undefined;
  out.push('x-forwarded-for', previous ? `${previous}, ${facts.peer}` : facts.peer);
  if (!hasProto) out.push('x-forwarded-proto', facts.secure ? 'https' : 'http');
  if (!hasForwardedHost) out.push('x-forwarded-host', facts.host ?? '');
  if (!hasRealIp) out.push('x-real-ip', facts.client);
  if (!hasHost) out.push('host', facts.backendHost);
  if (facts.chunked) out.push('transfer-encoding', 'chunked');
  else if (!hasLength && !BODY_METHODS_WITHOUT_DEFAULT.has(facts.method)) out.push('content-length', '0');
  if (facts.upgrade) out.push('connection', 'Upgrade', 'upgrade', incoming.upgrade ?? '');
  return out;
}

/** A header that came more than once (only Set-Cookie arrives as a list) goes on as separate lines. */
function add(out: HeaderList, name: string, value: string | string[]): void {
  if (typeof value === 'string') out.push(name, value);
  else for (const item of value) out.push(name, item);
}

/** The list as an object, for http-proxy-3, which sends `req.headers` as they are. */
export function headerObject(list: HeaderList): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = {};
  for (let i = 0; i < list.length; i += 2) {
    const name = list[i]!;
    const existing = headers[name];
    headers[name] = existing === undefined ? list[i + 1]! : [...(Array.isArray(existing) ? existing : [String(existing)]), list[i + 1]!];
  }
  return headers;
}

/** `backendRequestHeaders` for a request as it came in, with the facts read from it. */
export function headersForBackend(
  req: http.IncomingMessage,
  hostHeader: HostHeaderConfig | undefined,
  client: string,
  secure: boolean,
  trustedProxies: AddressList,
  upgrade: boolean,
  /** The backend's own `host:port`, for a request that named no host (HTTP/1.0 may omit Host). */
  targetHost: string,
): HeaderList {
  const peer = req.socket.remoteAddress ?? '';
  const host = hostOf(req);
  return backendRequestHeaders(req.headers, {
    peer,
    client,
    trusted: trustedProxies.size > 0 && trustedProxies.includes(peer),
    secure,
    host,
    backendHost: backendHostHeader(hostHeader, host) ?? targetHost,
    chunked: bodyIsChunked(req),
    upgrade,
    method: req.method ?? 'GET',
  });
}

/** undici frames a streamed body itself, and refuses a `Transfer-Encoding` header it did not write. */
export function withoutChunkedFraming(headers: HeaderList): HeaderList {
  for (let at = 0; at < headers.length; at += 2) {
    if (headers[at] === 'transfer-encoding') return [...headers.slice(0, at), ...headers.slice(at + 2)];
  }
  return headers;
}
