/**
 * Forwards a request to one backend through the server's keep-alive agent, and tells the caller
 * how it ended. Plain requests go through `http.request` directly: on this hot path http-proxy-3's
 * per-request option copying and passes cost about a third of the throughput (see the README's
 * benchmark notes). WebSocket upgrades, where that cost is paid once per connection, go through
 * http-proxy-3. Every socket error ends up in `onError`; nothing here throws or leaves a socket open.
 */
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';
import { sendProxyResponse } from './compression.js';
import type { CompressionConfig } from './config-schema.js';

export interface ForwardRequest {
  target: URL;
  agent: http.Agent;
  timeoutMs: number;
  /** What the backend receives as headers: built by `backendRequestHeaders`, framing included. */
  headers: http.OutgoingHttpHeaders;
  /** The gateway's own session cookie for the response, added after the backend's hop-by-hop headers are gone. */
  setCookie?: string | null | undefined;
  /** The cluster's compression settings when compression is on. */
  compression?: CompressionConfig | undefined;
  /** Called with the backend's response before its headers are copied to the client. */
  onResponse?: (proxyRes: http.IncomingMessage) => void;
  onError: (failure: ForwardFailure) => void;
  /** The backend broke off its answer after it had begun; the client connection has been closed. */
  onBrokenResponse?: () => void;
  /** The request cannot be forwarded as it is (a header HTTP/1.1 cannot carry); nothing was sent. */
  onInvalidRequest?: (reason: string) => void;
}

export interface ForwardFailure {
  error: Error & { code?: string };
  /** The backend could not be reached at all, so the request never got there. */
  connectFailed: boolean;
  timedOut: boolean;
}

const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL', 'ECONNABORTED']);

/** Headers that describe one connection, not the message: never passed on (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'expect', 'http2-settings']);

export class Forwarder {
  private readonly wsProxy = createProxyServer({ xfwd: false });

  constructor() {
    this.wsProxy.on('error', () => {});
  }

  web(req: http.IncomingMessage, res: http.ServerResponse, request: ForwardRequest): void {
    const { target } = request;
    const client = target.protocol === 'https:' ? https : http;
    let proxyReq: http.ClientRequest;
    try {
      proxyReq = client.request({
        protocol: target.protocol,
        hostname: target.hostname.startsWith('[') ? target.hostname.slice(1, -1) : target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: request.headers,
        agent: request.agent,
      });
    } catch (error) {
      // A header the client could send but HTTP/1.1 cannot carry: the request is at fault, not the backend.
      if (request.onInvalidRequest) request.onInvalidRequest((error as Error).message);
      else res.destroy();
      return;
    }
    let settled = false;
    const fail = (error: Error & { code?: string }, timedOut: boolean): void => {
      if (settled) return;
      settled = true;
      const code = error.code ?? '';
      // A kept-alive socket the backend had just closed fails like a refused connection would.
      const staleSocket = code === 'ECONNRESET' && proxyReq.reusedSocket && !res.headersSent;
      request.onError({ error, connectFailed: CONNECT_ERRORS.has(code) || staleSocket, timedOut });
    };

    proxyReq.setTimeout(request.timeoutMs, () => {
      fail(Object.assign(new Error(`no answer within ${request.timeoutMs} ms`), { code: 'ETIMEDOUT' }), true);
      proxyReq.destroy();
    });
    proxyReq.on('error', (error) => {
      // The client left first: nothing to report, nobody to answer.
      if (res.destroyed) return;
      fail(error, false);
    });
    res.once('close', () => {
      if (!res.writableFinished) proxyReq.destroy();
    });
    req.on('error', () => proxyReq.destroy());
    // A 101 to a request that asked for no upgrade: Node hands over the socket and never answers.
    proxyReq.on('upgrade', (_proxyRes, socket) => {
      socket.destroy();
      fail(new Error('the backend switched protocols on a request that asked for no upgrade'), false);
    });

    proxyReq.on('response', (proxyRes) => {
      if (proxyRes.statusCode === 101) {
        proxyReq.destroy();
        fail(new Error('the backend answered 101 to a request that asked for no upgrade'), false);
        return;
      }
      settled = true;
      let unusable = false;
      request.onResponse?.(proxyRes);
      proxyRes.on('error', () => {});
      proxyRes.once('close', () => {
        // Also incomplete when the client left first: that is no fault of the backend.
        if (proxyRes.complete || res.destroyed || unusable) return;
        res.destroy();
        request.onBrokenResponse?.();
      });
      if (res.destroyed) {
        proxyRes.destroy();
        return;
      }
      if (request.compression) {
        if (request.setCookie) res.setHeader('set-cookie', request.setCookie);
        sendProxyResponse(req, proxyRes, res, request.compression);
        return;
      }
      // HTTP/2 has no reason phrases.
      const reason = req.httpVersionMajor === 1 ? proxyRes.statusMessage : undefined;
      try {
        res.writeHead(proxyRes.statusCode ?? 502, reason, withSetCookie(withoutHopByHop(proxyRes.headers), request.setCookie));
      } catch (error) {
        // A status or header the client's connection cannot carry: the backend's answer is unusable,
        // and nothing has been sent yet, so the client still gets a proper error page.
        unusable = true;
        proxyRes.destroy();
        request.onError({ error: error as Error, connectFailed: false, timedOut: false });
        return;
      }
      proxyRes.pipe(res);
    });
    req.pipe(proxyReq);
  }

  /** `req.headers` are sent as they are: the caller has replaced them with the backend's. */
  ws(req: http.IncomingMessage, socket: Duplex, head: Buffer, request: Omit<ForwardRequest, 'headers'>): void {
    this.wsProxy.ws(req, socket, head, { target: request.target, agent: request.agent }, (error) => {
      const code = (error as { code?: string }).code ?? '';
      request.onError({ error, connectFailed: CONNECT_ERRORS.has(code), timedOut: false });
    });
  }
}

/** The backend's end-to-end response headers. */
function withoutHopByHop(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  const named = connectionTokens(headers.connection);
  for (const name in headers) {
    if (HOP_BY_HOP.has(name) || named?.has(name) || name.charCodeAt(0) === COLON) continue;
    out[name] = headers[name];
  }
  return out;
}

const COLON = 58;

function withSetCookie(headers: http.OutgoingHttpHeaders, cookie: string | null | undefined): http.OutgoingHttpHeaders {
  if (!cookie) return headers;
  const existing = headers['set-cookie'];
  headers['set-cookie'] = Array.isArray(existing) ? [...existing, cookie] : [cookie];
  return headers;
}

/** Headers that the Connection header names are hop-by-hop too. */
function connectionTokens(connection: string | undefined): Set<string> | undefined {
  if (!connection || connection === 'keep-alive' || connection === 'close') return undefined;
  return new Set(connection.split(',').map((token) => token.trim().toLowerCase()));
}
