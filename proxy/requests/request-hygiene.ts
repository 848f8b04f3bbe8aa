/**
 * What every request goes through before it is routed: its target is normalized (or refused), its
 * body framing checked, and upgrades other than WebSocket and CONNECT tunnels are answered instead
 * of forwarded. The README's "Request hygiene" section lists each rule and why.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { sendGatewayError, sendSocketError } from '../forwarding/error-pages.js';
import { RefusedRequest } from './refused-request.js';
import { checkRequestFraming } from './request-framing.js';
import { parseRequestTarget } from './request-target.js';

export { RefusedRequest };

/**
 * Rewrites `req.url` to the normalized origin-form target (and Host to an absolute-form target's
 * host), so that routing, access rules, logs and the backend all see the same request. Returns
 * why the request is refused, or undefined when it may go on.
 */
export function screenRequest(req: http.IncomingMessage): RefusedRequest | undefined {
  try {
    if (req.method === 'CONNECT') return refusedConnect();
    if (hasLowerCase(req.method)) return refusedMethodCase();
    screenTarget(req);
    checkRequestFraming(req);
    return undefined;
  } catch (error) {
    if (error instanceof RefusedRequest) return error;
    throw error;
  }
}

/** `screenRequest` for a request that asks to switch protocols: only a WebSocket GET without a body may. */
export function screenUpgrade(req: http.IncomingMessage): RefusedRequest | undefined {
  const protocol = (req.headers.upgrade ?? '').trim();
  if (protocol.toLowerCase() !== 'websocket') {
    const named = protocol.length > 40 || !/^[\x21-\x7e ]*$/.test(protocol) ? 'another protocol' : `"${protocol}"`;
    return new RefusedRequest(501, `This gateway carries WebSocket upgrades only; it does not switch to ${named}.`);
  }
  if (req.method !== 'GET') return new RefusedRequest(400, 'A WebSocket upgrade must be a GET request.');
  const length = req.headers['content-length'];
  if (req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')) {
    return new RefusedRequest(400, 'A WebSocket upgrade request may not have a body.');
  }
  try {
    screenTarget(req);
    return undefined;
  } catch (error) {
    if (error instanceof RefusedRequest) return error;
    throw error;
  }
}

/** Sends the refusal; a request whose framing is in doubt also loses its connection. */
export function sendRefusal(req: http.IncomingMessage, res: http.ServerResponse, refusal: RefusedRequest): void {
  // HTTP/2 has no Connection header: each request is its own stream.
  if (refusal.closeConnection && req.httpVersionMajor === 1 && !res.headersSent) res.setHeader('connection', 'close');
  sendGatewayError(res, refusal.status, refusal.message);
}

/**
 * The listener's `connect` handler. HTTP/1.1 hands it the raw socket; an HTTP/2 listener hands it
 * the stream's response object for HTTP/2 clients and the socket for its HTTP/1.1 clients.
 */
export function refuseConnect(socketOrResponse: Duplex | http.ServerResponse): void {
  const refusal = refusedConnect();
  if ('writeHead' in socketOrResponse) {
    sendGatewayError(socketOrResponse, refusal.status, refusal.message);
    return;
  }
  socketOrResponse.on('error', () => socketOrResponse.destroy());
  sendSocketError(socketOrResponse, refusal.status, refusal.message);
}

function refusedConnect(): RefusedRequest {
  return new RefusedRequest(501, 'This gateway is not a forward proxy: CONNECT tunnels are not offered.');
}

/**
 * Methods are case-sensitive, so "head" is not HEAD to the gateway (nor to undici, which then waits
 * for the body a HEAD answer never has), but Jetty and ASP.NET compare them without regard to case
 * and answer it as a HEAD. Node's HTTP/1 parser accepts only capitals; HTTP/2 clients may send any
 * token, so they are held to the same rule, as nginx does.
 */
function hasLowerCase(method: string | undefined): boolean {
  if (method === undefined) return false;
  for (let i = 0; i < method.length; i++) {
    const c = method.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) return true;
  }
  return false;
}

function refusedMethodCase(): RefusedRequest {
  return new RefusedRequest(400, 'Request methods are written in capitals here (GET, HEAD, POST…): a backend could read one in lower case as another method.');
}

function screenTarget(req: http.IncomingMessage): void {
  const target = parseRequestTarget(req.url ?? '');
  if (target.url !== req.url) req.url = target.url;
  // RFC 9112 §3.2.2: the host in an absolute-form target wins over the Host header.
  if (target.authority !== undefined) req.headers.host = target.authority;
}
