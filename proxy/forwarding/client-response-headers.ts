/** The headers the client receives with a backend's response: its end-to-end headers and the gateway's session cookie. */
import type http from 'node:http';
import { connectionTokens, HOP_BY_HOP_HEADERS } from './hop-by-hop.js';

const COLON = 58;

export function clientResponseHeaders(backend: http.IncomingHttpHeaders, sessionCookie: string | null | undefined): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  const named = connectionTokens(backend.connection);
  for (const name in backend) {
    if (HOP_BY_HOP_HEADERS.has(name) || named?.has(name) || name.charCodeAt(0) === COLON) continue;
    out[name] = backend[name];
  }
  if (sessionCookie) {
    // Added to the backend's own cookies, never in place of them.
    const existing = out['set-cookie'];
    out['set-cookie'] = Array.isArray(existing) ? [...existing, sessionCookie] : [sessionCookie];
  }
  return out;
}
