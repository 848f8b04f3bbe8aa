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
  /** What the backend's Host header says; undefined leaves none (HTTP/2 clients send no Host). */
  backendHost: string | undefined;
  /** The body goes chunked, said with an explicit Transfer-Encoding. */
  chunked: boolean;
  /** A WebSocket upgrade: `Connection: Upgrade` and the client's `Upgrade` go along. */
  upgrade: boolean;
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

export function backendRequestHeaders(incoming: http.IncomingHttpHeaders, facts: ForwardingFacts): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  const named = connectionTokens(incoming.connection);
  const trusted = facts.trusted;
  for (const name in incoming) {
    const value = incoming[name];
    if (value === undefined) continue;
    const kind = KINDS.get(name);
    if (kind === undefined) {
      const first = name.charCodeAt(0);
      // HTTP/2 pseudo-headers (`:path`, `:authority`…) are not headers of HTTP/1.1.
      if (first === COLON || name.includes('_')) continue;
      if (first === LOWER_X && name.startsWith('x-forwarded-')) {
        if (trusted) out[name] = value;
        continue;
      }
      if (named !== undefined && named.has(name)) continue;
      out[name] = value;
    } else if (kind === PROTECTED || (kind === FORWARDING && trusted)) {
      out[name] = value;
    }
  }

  const previous = trusted ? incoming['x-forwarded-for'] : undefined;
  out['x-forwarded-for'] = previous ? `${previous}, ${facts.peer}` : facts.peer;
  if (out['x-forwarded-proto'] === undefined) out['x-forwarded-proto'] = facts.secure ? 'https' : 'http';
  if (out['x-forwarded-host'] === undefined) out['x-forwarded-host'] = facts.host ?? '';
  if (out['x-real-ip'] === undefined) out['x-real-ip'] = facts.client;
  if (facts.backendHost !== undefined) out.host = facts.backendHost;
  if (facts.chunked) out['transfer-encoding'] = 'chunked';
  if (facts.upgrade) {
    out.connection = 'Upgrade';
    out.upgrade = incoming.upgrade;
  }
  return out;
}

/** `backendRequestHeaders` for a request as it came in, with the facts read from it. */
export function headersForBackend(
  req: http.IncomingMessage,
  hostHeader: HostHeaderConfig | undefined,
  client: string,
  secure: boolean,
  trustedProxies: AddressList,
  upgrade: boolean,
): http.OutgoingHttpHeaders {
  const peer = req.socket.remoteAddress ?? '';
  const host = hostOf(req);
  return backendRequestHeaders(req.headers, {
    peer,
    client,
    trusted: trustedProxies.size > 0 && trustedProxies.includes(peer),
    secure,
    host,
    backendHost: backendHostHeader(hostHeader, host),
    chunked: bodyIsChunked(req),
    upgrade,
  });
}
