/**
 * Forwards a request to one backend through the server's keep-alive agent, and tells the caller
 * how it ended. Plain requests go through `http.request` directly: on this hot path http-proxy-3's
 * per-request option copying and passes cost about a third of the throughput (see the README's
 * benchmark notes); WebSocket upgrades go to `WebSocketForwarder`. Every socket error ends up in
 * `onError`; nothing here throws or leaves a socket open.
 */
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { clientResponseHeaders } from './client-response-headers.js';
import { sendProxyResponse } from './compression.js';
import { isConnectFailure, isStaleConnectionError, type ForwardFailure, type ForwardRequest } from './forward-request.js';
import { WebSocketForwarder, type UpgradeRequest } from './websocket-forwarder.js';
import { announcesBody, RequestBody } from '../requests/request-body.js';

export type { ForwardFailure, ForwardRequest };

export class Forwarder {
  private readonly webSockets = new WebSocketForwarder();

  web(req: http.IncomingMessage, res: http.ServerResponse, request: ForwardRequest): void {
    const body = announcesBody(req) ? new RequestBody(req, request.bodyIdleTimeoutMs, () => this.attempts.get(req)?.clientIdle()) : undefined;
    this.send(req, res, request, request.agent, body);
  }

  /** `req.headers` are sent as they are: the caller has replaced them with the backend's. */
  ws(req: http.IncomingMessage, socket: Duplex, head: Buffer, request: UpgradeRequest): void {
    this.webSockets.forward(req, socket, head, request);
  }

  /** The attempt under way for each request with a body, for the body watchdog to reach. */
  private readonly attempts = new WeakMap<http.IncomingMessage, BackendAttempt>();

  private send(req: http.IncomingMessage, res: http.ServerResponse, request: ForwardRequest, agent: http.Agent, body: RequestBody | undefined): void {
    const attempt = new BackendAttempt(req, res, request, agent, body, (fresh) => this.send(req, res, request, fresh, body));
    if (body) this.attempts.set(req, attempt);
    attempt.start();
  }
}

/**
 * One try at sending a request to the backend and relaying its answer. Its state lives in fields
 * and its listeners are one-line arrows into methods: on this path, per-request closures with
 * names of their own cost measurably more than methods.
 */
class BackendAttempt {
  private proxyReq!: http.ClientRequest;
  /** The caller has been told how this attempt ended (or a retry has taken over). */
  private settled = false;
  private waitForConnection: NodeJS.Timeout | undefined;
  /** The backend's answer had a status or header the client's connection cannot carry. */
  private unusable = false;

  constructor(
    private readonly req: http.IncomingMessage,
    private readonly res: http.ServerResponse,
    private readonly request: ForwardRequest,
    private readonly agent: http.Agent,
    private readonly body: RequestBody | undefined,
    private readonly retry: (freshAgent: http.Agent) => void,
  ) {}

  start(): void {
    const { req, res, request, agent, body } = this;
    const { target } = request;
    const isRetry = agent !== request.agent;
    // The backend's time starts once it has the whole request: a slow upload is the client's time.
    // With the request at hand, the agent arms the socket's timer as it hands the socket over,
    // which costs no listeners of our own.
    const timedFromStart = !body || body.complete;
    let proxyReq: http.ClientRequest;
    try {
      proxyReq = (target.protocol === 'https:' ? https : http).request({
        protocol: target.protocol,
        hostname: target.hostname.startsWith('[') ? target.hostname.slice(1, -1) : target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: request.headers,
        agent,
        timeout: timedFromStart ? request.timeoutMs : undefined,
        // Without it the agent parses the Host header on every request to guess a TLS server name;
        // the gateway's HTTPS agents name the server themselves, and their setting wins over this.
        servername: '',
      });
    } catch (error) {
      // A header the client could send but HTTP/1.1 cannot carry: the request is at fault, not the backend.
      body?.stop();
      if (request.onInvalidRequest) request.onInvalidRequest((error as Error).message);
      else res.destroy();
      return;
    }
    this.proxyReq = proxyReq;
    this.waitForConnection = waitTimer(agent, request.connectionWaitMs, () => {
      this.fail(Object.assign(new Error(`all ${agent.maxSockets} connections are busy`), { code: 'EBUSY' }), { connectionsBusy: true });
      proxyReq.destroy();
    });
    if (this.waitForConnection) proxyReq.once('socket', () => clearTimeout(this.waitForConnection));
    if (timedFromStart) proxyReq.on('timeout', () => this.backendTimedOut());
    else proxyReq.once('finish', () => proxyReq.setTimeout(request.timeoutMs, () => this.backendTimedOut()));
    proxyReq.on('error', (error: Error & { code?: string }) => this.backendFailed(error, isRetry));
    res.once('close', () => {
      if (!res.writableFinished) proxyReq.destroy();
    });
    // A 101 to a request that asked for no upgrade: Node hands over the socket and never answers.
    proxyReq.on('upgrade', (_proxyRes, socket) => {
      socket.destroy();
      this.fail(new Error('the backend switched protocols on a request that asked for no upgrade'));
    });
    proxyReq.on('response', (proxyRes) => this.answer(proxyRes));
    if (!body) {
      proxyReq.end();
      return;
    }
    req.on('error', () => proxyReq.destroy());
    if (isRetry) for (const chunk of body.chunks) proxyReq.write(chunk);
    req.pipe(proxyReq);
  }

  /** The body watchdog saw no bytes from the client for too long. */
  clientIdle(): void {
    if (this.settled) return;
    // A body held up because the backend stopped reading it is the backend's delay, not the client's.
    if (this.proxyReq.writableNeedDrain) this.backendTimedOut();
    else {
      this.fail(Object.assign(new Error('the client stopped sending its request body'), { code: 'ECLIENTIDLE' }), { clientStalled: true });
      this.proxyReq.destroy();
    }
  }

  private fail(error: Error & { code?: string }, kind: Partial<ForwardFailure> = {}): void {
    if (this.settled) return;
    this.settled = true;
    this.body?.stop();
    this.request.onError({ error, connectFailed: isConnectFailure(error), timedOut: false, ...kind });
  }

  private backendTimedOut(): void {
    this.fail(Object.assign(new Error(`no answer within ${this.request.timeoutMs} ms`), { code: 'ETIMEDOUT' }), { timedOut: true });
    this.proxyReq.destroy();
  }

  private backendFailed(error: Error & { code?: string }, isRetry: boolean): void {
    // The client left first: nothing to report, nobody to answer.
    if (this.res.destroyed) return;
    // The backend closed a kept-alive connection just as it was reused (the keep-alive race):
    // nothing reached the backend's application, so the same server gets the request again
    // over a new connection.
    const stale = !this.settled && !isRetry && this.proxyReq.reusedSocket && isStaleConnectionError(error);
    const { freshAgent } = this.request;
    if (stale && freshAgent && (!this.body || this.body.replayable)) {
      this.settled = true;
      if (this.waitForConnection) clearTimeout(this.waitForConnection);
      this.req.unpipe(this.proxyReq);
      this.retry(freshAgent);
      return;
    }
    this.fail(error, stale ? { staleConnection: true } : {});
  }

  private answer(proxyRes: http.IncomingMessage): void {
    const { req, res, request } = this;
    if (proxyRes.statusCode === 101) {
      this.proxyReq.destroy();
      this.fail(new Error('the backend answered 101 to a request that asked for no upgrade'));
      return;
    }
    this.settled = true;
    request.onResponse?.(proxyRes);
    proxyRes.on('error', () => {});
    proxyRes.once('close', () => {
      // Also incomplete when the client left first: that is no fault of the backend.
      if (proxyRes.complete || res.destroyed || this.unusable) return;
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
      res.writeHead(proxyRes.statusCode ?? 502, reason, clientResponseHeaders(proxyRes.headers, request.setCookie));
    } catch (error) {
      // A status or header the client's connection cannot carry: the backend's answer is unusable,
      // and nothing has been sent yet, so the client still gets a proper error page.
      this.unusable = true;
      proxyRes.destroy();
      request.onError({ error: error as Error, connectFailed: false, timedOut: false });
      return;
    }
    relayBody(proxyRes, res);
  }
}

/**
 * `proxyRes.pipe(res)` without pipe's own listeners on both streams, which cost more than the rest
 * of a small response's relay: the body is written as it comes, and the backend is read no faster
 * than the client takes it. The `close` handlers above end both sides when either breaks off.
 */
function relayBody(proxyRes: http.IncomingMessage, res: http.ServerResponse): void {
  proxyRes.on('data', (chunk: Buffer) => {
    if (!res.write(chunk) && !res.destroyed) {
      proxyRes.pause();
      res.once('drain', () => proxyRes.resume());
    }
  });
  proxyRes.once('end', () => res.end());
}

/**
 * A timer for a request that has to queue for one of the agent's connections; none when a
 * connection is at hand, which keeps the common case free of timers.
 */
function waitTimer(agent: http.Agent, waitMs: number, onExpiry: () => void): NodeJS.Timeout | undefined {
  for (const _name in agent.requests) return setTimeout(onExpiry, waitMs);
  return undefined;
}
