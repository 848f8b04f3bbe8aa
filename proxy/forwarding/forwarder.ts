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
import type { CompressionConfig } from '../config/config-schema.js';
import { announcesBody, RequestBody } from '../requests/request-body.js';

export interface ForwardRequest {
  target: URL;
  agent: http.Agent;
  /** Opens a new connection for every request: for the one retry after a reused connection failed (none: no retry). */
  freshAgent?: http.Agent | undefined;
  /** How long the backend may stay silent once it has the whole request (see `requestTimeoutSec`). */
  timeoutMs: number;
  /** How long the client may pause while sending a body. */
  bodyIdleTimeoutMs: number;
  /** How long a request may wait for a free connection when all of the agent's are busy. */
  connectionWaitMs: number;
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
  /** The backend took too long (see `requestTimeoutSec`). */
  timedOut: boolean;
  /** The client stopped sending its body: no fault of the backend. */
  clientStalled?: boolean;
  /** Every connection to the server stayed busy while the request waited for one. */
  connectionsBusy?: boolean;
  /** A reused connection turned out closed, and the body sent on it was too large to send again. */
  staleConnection?: boolean;
}

const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL', 'ECONNABORTED']);

/**
 * How a kept-alive connection that the backend closed fails when it is reused: reset, or closed
 * before an answer ("socket hang up"), or refusing the write.
 */
const STALE_CONNECTION_ERRORS = new Set(['ECONNRESET', 'EPIPE']);

/** Headers that describe one connection, not the message: never passed on (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'expect', 'http2-settings']);

export class Forwarder {
  private readonly wsProxy = createProxyServer({ xfwd: false });

  constructor() {
    this.wsProxy.on('error', () => {});
  }

  web(req: http.IncomingMessage, res: http.ServerResponse, request: ForwardRequest): void {
    const body = announcesBody(req) ? new RequestBody(req, request.bodyIdleTimeoutMs, () => this.attempts.get(req)?.clientIdle()) : undefined;
    this.send(req, res, request, request.agent, body);
  }

  /** The attempt under way for each request, for the body watchdog to reach. */
  private readonly attempts = new WeakMap<http.IncomingMessage, { clientIdle(): void }>();

  private send(req: http.IncomingMessage, res: http.ServerResponse, request: ForwardRequest, agent: http.Agent, body: RequestBody | undefined): void {
    const { target } = request;
    const client = target.protocol === 'https:' ? https : http;
    const isRetry = agent !== request.agent;
    let proxyReq: http.ClientRequest;
    try {
      proxyReq = client.request({
        protocol: target.protocol,
        hostname: target.hostname.startsWith('[') ? target.hostname.slice(1, -1) : target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: request.headers,
        agent,
      });
    } catch (error) {
      // A header the client could send but HTTP/1.1 cannot carry: the request is at fault, not the backend.
      body?.stop();
      if (request.onInvalidRequest) request.onInvalidRequest((error as Error).message);
      else res.destroy();
      return;
    }
    let settled = false;
    const fail = (error: Error & { code?: string }, kind: Partial<ForwardFailure> = {}): void => {
      if (settled) return;
      settled = true;
      body?.stop();
      const code = error.code ?? '';
      request.onError({ error, connectFailed: CONNECT_ERRORS.has(code), timedOut: false, ...kind });
    };

    const waitForConnection = waitTimer(agent, request.connectionWaitMs, () => {
      fail(Object.assign(new Error(`all ${agent.maxSockets} connections are busy`), { code: 'EBUSY' }), { connectionsBusy: true });
      proxyReq.destroy();
    });
    if (waitForConnection) proxyReq.once('socket', () => clearTimeout(waitForConnection));
    const backendTimedOut = (): void => {
      fail(Object.assign(new Error(`no answer within ${request.timeoutMs} ms`), { code: 'ETIMEDOUT' }), { timedOut: true });
      proxyReq.destroy();
    };
    // The backend's time starts once it has the whole request: a slow upload is the client's time.
    if (!body || body.complete) proxyReq.setTimeout(request.timeoutMs, backendTimedOut);
    else proxyReq.once('finish', () => proxyReq.setTimeout(request.timeoutMs, backendTimedOut));
    if (body) {
      this.attempts.set(req, {
        clientIdle: () => {
          if (settled) return;
          // A body held up because the backend stopped reading it is the backend's delay, not the client's.
          if (proxyReq.writableNeedDrain) backendTimedOut();
          else {
            fail(Object.assign(new Error('the client stopped sending its request body'), { code: 'ECLIENTIDLE' }), { clientStalled: true });
            proxyReq.destroy();
          }
        },
      });
    }
    proxyReq.on('error', (error: Error & { code?: string }) => {
      // The client left first: nothing to report, nobody to answer.
      if (res.destroyed) return;
      // The backend closed a kept-alive connection just as it was reused (the keep-alive race):
      // nothing reached the backend's application, so the same server gets the request again
      // over a new connection.
      const stale = !settled && !isRetry && proxyReq.reusedSocket && STALE_CONNECTION_ERRORS.has(error.code ?? '');
      if (stale && request.freshAgent && (!body || body.replayable)) {
        settled = true;
        if (waitForConnection) clearTimeout(waitForConnection);
        req.unpipe(proxyReq);
        this.send(req, res, request, request.freshAgent, body);
        return;
      }
      fail(error, stale ? { staleConnection: true } : {});
    });
    res.once('close', () => {
      if (!res.writableFinished) proxyReq.destroy();
    });
    req.on('error', () => proxyReq.destroy());
    // A 101 to a request that asked for no upgrade: Node hands over the socket and never answers.
    proxyReq.on('upgrade', (_proxyRes, socket) => {
      socket.destroy();
      fail(new Error('the backend switched protocols on a request that asked for no upgrade'));
    });

    proxyReq.on('response', (proxyRes) => {
      if (proxyRes.statusCode === 101) {
        proxyReq.destroy();
        fail(new Error('the backend answered 101 to a request that asked for no upgrade'));
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
    if (isRetry && body) for (const chunk of body.chunks) proxyReq.write(chunk);
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

/**
 * A timer for a request that has to queue for one of the agent's connections; none when a
 * connection is at hand, which keeps the common case free of timers.
 */
function waitTimer(agent: http.Agent, waitMs: number, onExpiry: () => void): NodeJS.Timeout | undefined {
  for (const _name in agent.requests) return setTimeout(onExpiry, waitMs);
  return undefined;
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
