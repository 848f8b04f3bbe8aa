/**
 * One try at sending a request to a backend over one of its connections and relaying the answer,
 * as an undici dispatch handler. Its state lives in fields and its callbacks are methods: on this
 * path, per-request closures cost measurably more. Every failure ends in `request.onError` (or, once
 * the answer has begun, in a cut-off client response); nothing here throws or leaves a socket open.
 */
import type http from 'node:http';
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { BackendConnection, BackendConnections, ConnectionWaiter } from './backend-connections.js';
import { BackendResponseStream, mergeRepeatedHeaders, type BackendResponseHead } from './backend-response.js';
import { clientResponseHeaders } from './client-response-headers.js';
import { ClientReadWatch } from './client-read-watch.js';
import { sendProxyResponse } from './compression.js';
import { describeFailure, isInvalidRequest, isTimeout, type Failure } from './backend-failures.js';
import { withoutChunkedFraming } from './backend-request-headers.js';
import { isConnectFailure, isStaleConnectionError, type ForwardFailure, type ForwardRequest } from './forward-request.js';
import type { RequestBody } from '../requests/request-body.js';

/** undici takes a request's TLS name among its dispatch options, though its types leave it out. */
type DispatchOptionsWithTlsName = Dispatcher.DispatchOptions & { servername: string };

export class BackendExchange implements Dispatcher.DispatchHandler, ConnectionWaiter {
  private connection: BackendConnection | undefined;
  /** The request went out over a socket that had carried one before (decided as undici writes it). */
  private reused = false;
  private controller: Dispatcher.DispatchController | undefined;
  /** The caller has been told how this exchange ended, or a retry has taken over. */
  private settled = false;
  /** The first byte of an answer (1xx included) arrived: a failure from here on is no keep-alive race. */
  private answerBegan = false;
  /** The backend's final status and headers arrived: from here on a failure cuts the client off. */
  private answered = false;
  /** The backend's answer had a status or header the client's connection cannot carry. */
  private unusable = false;
  /** The backend's answer is a 204 or 304, which never has a body. */
  private bodiless = false;
  private stream: BackendResponseStream | undefined;
  /** Pauses the backend for a client that is behind with the answer; made when first needed. */
  private readWatch: ClientReadWatch | undefined;
  /** undici has written the whole request body to the backend (tracked on connection-bound requests only). */
  private bodyWritten = false;
  /** Runs while an answer is held back until the body is written (see `holdUntilBodyWritten`). */
  private holdTimer: NodeJS.Timeout | undefined;
  private backendClock: NodeJS.Timeout | undefined;
  /** The retry that took over from this exchange. */
  private successor: BackendExchange | undefined;

  constructor(
    private readonly req: http.IncomingMessage,
    private readonly res: http.ServerResponse,
    private readonly request: ForwardRequest,
    private readonly connections: BackendConnections,
    private readonly body: RequestBody | undefined,
    /** This exchange is the one retry, over a fresh connection, after the keep-alive race. */
    private readonly isRetry: boolean,
  ) {}

  start(): void {
    if (this.isRetry) this.connected(this.connections.fresh());
    else this.connections.acquire(this, this.request.connectionWaitMs);
  }

  /** The client left, or the exchange ended before a connection came: the connection is not wanted. */
  get abandoned(): boolean {
    return this.settled || this.res.destroyed;
  }

  /** The client's response closed: an exchange still under way is of no use to anybody. */
  clientClosed(): void {
    if (this.successor) this.successor.clientClosed();
    else if (this.connection && !this.res.writableFinished) this.controller?.abort(new Error('the client left'));
  }

  connected(connection: BackendConnection): void {
    this.connection = connection;
    const { req, request, body } = this;
    // The backend's time starts once it has the whole request: a slow upload is the client's time.
    const timedFromStart = !body || body.complete;
    if (!timedFromStart) body.onComplete(() => this.startBackendClock());
    const bodyStream = body ? Readable.from(body.reader(), { objectMode: false }) : null;
    // After undici's own 'end' handler, which finishes writing the request.
    if (bodyStream && request.connectionBound) bodyStream.once('end', () => setImmediate(() => this.whenBodyWritten()));
    const options: DispatchOptionsWithTlsName = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      servername: this.connections.tlsName,
      headers: body ? withoutChunkedFraming(request.headers) : request.headers,
      body: bodyStream,
      // undici would close the connection after a body on GET/DELETE…; the gateway frames such a
      // body exactly (see backend-request-headers.ts), so the connection stays reusable. After a
      // HEAD it is closed as undici wants: a backend that wrongly sends a body there cannot then
      // have those bytes read as the answer to somebody else's request. Not so a connection that
      // carries a Windows sign-in: it serves nobody else, and closing it would lose the sign-in
      // (a client that signs in with HEADs could never finish the handshake).
      reset: req.method === 'HEAD' && !request.connectionBound ? undefined : false,
      headersTimeout: timedFromStart ? request.timeoutMs : 0,
      bodyTimeout: request.timeoutMs,
    };
    connection.client.dispatch(options, this);
  }

  /** Every connection stayed busy for as long as the request may wait. */
  timedOut(): void {
    this.fail(Object.assign(new Error(`all ${this.connections.limit} connections are busy`), { code: 'EBUSY' }), { connectionsBusy: true });
  }

  /** The body watchdog saw no bytes from the client for too long. */
  clientIdle(): void {
    if (this.successor) return this.successor.clientIdle();
    if (this.settled) return;
    // A body held up because the backend stopped reading it is the backend's delay, not the client's.
    if (this.body?.backendIsBehind) {
      this.backendTimedOut();
      return;
    }
    this.fail(Object.assign(new Error('the client stopped sending its request body'), { code: 'ECLIENTIDLE' }), { clientStalled: true });
    this.controller?.abort(new Error('the client stopped sending its request body'));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    // Now, not when the connection was handed out: undici may have replaced the socket since.
    this.reused = this.connection?.reused ?? false;
    if (this.res.destroyed) controller.abort(new Error('the client left'));
  }

  onResponseStarted(): void {
    this.answerBegan = true;
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>, statusMessage?: string): void {
    // Informational answers (103 Early Hints…) are not relayed; the gateway answers `Expect` itself.
    if (statusCode < 200) return;
    this.stopBackendClock();
    this.answered = true;
    this.settled = true;
    this.bodiless = statusCode === 204 || statusCode === 304;
    const { req, res, request } = this;
    const head: BackendResponseHead = { statusCode, statusMessage: statusMessage ?? '', headers: mergeRepeatedHeaders(headers) };
    request.onResponse?.(head);
    if (res.destroyed) {
      controller.abort(new Error('the client left'));
      return;
    }
    this.holdUntilBodyWritten(controller);
    if (request.compression) {
      if (request.setCookie) res.setHeader('set-cookie', request.setCookie);
      this.stream = new BackendResponseStream(head, this.readWatchFor(controller));
      sendProxyResponse(req, this.stream, res, request.compression);
      return;
    }
    // HTTP/2 has no reason phrases.
    const reason = req.httpVersionMajor === 1 ? head.statusMessage : undefined;
    try {
      res.writeHead(statusCode, reason, clientResponseHeaders(head.headers, request.setCookie));
    } catch (error) {
      // A status or header the client's connection cannot carry: the backend's answer is unusable,
      // and nothing has been sent yet, so the client still gets a proper error page.
      this.unusable = true;
      controller.abort(error as Error);
      request.onError({ error: error as Error, connectFailed: false, timedOut: false });
    }
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.stream) {
      this.stream.deliver(chunk);
      return;
    }
    // The backend is read no faster than the client takes the body.
    if (!this.res.write(chunk) && !this.res.destroyed) {
      const watch = this.readWatchFor(controller);
      watch.pause();
      this.res.once('drain', () => watch.resume());
    }
  }

  onResponseEnd(): void {
    if (this.stream) this.stream.finish();
    else if (!this.unusable) this.res.end();
    this.finish();
    // The backend may answer before it has read the whole body (a 413, a 401): the rest is read
    // and dropped, so that the client's connection reaches its next request.
    this.body?.discard();
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Failure): void {
    // A 304 may give the length of the answer it stands for (and some 204s give one): undici then
    // fails the answer for its missing body and closes the connection, but the answer is whole.
    if (this.bodiless && error.code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
      this.onResponseEnd();
      return;
    }
    this.finish();
    if (this.answered) {
      this.body?.discard();
      this.stream?.destroy();
      // Also cut short when the client left first, or broke off its body: no fault of the backend.
      if (this.res.destroyed || this.unusable) return;
      this.res.destroy();
      if (!this.body?.brokenOff) this.request.onBrokenResponse?.();
      return;
    }
    this.backendFailed(error);
  }

  /**
   * undici closes a connection whose answer is complete before the request body is written (a 401
   * challenge to a large upload, answered before the backend drains the body). A Windows sign-in
   * lives on that connection, so the end of such an answer waits until the body is written, and
   * the connection stays for the handshake's next step; the wait is bounded by the request timeout.
   */
  private holdUntilBodyWritten(controller: Dispatcher.DispatchController): void {
    if (!this.request.connectionBound || !this.body || this.bodyWritten) return;
    this.readWatchFor(controller).hold();
    this.holdTimer = setTimeout(() => this.releaseAnswer(), this.request.timeoutMs);
  }

  private whenBodyWritten(): void {
    this.bodyWritten = true;
    this.releaseAnswer();
  }

  private releaseAnswer(): void {
    if (!this.holdTimer) return;
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    this.readWatch?.release();
  }

  private readWatchFor(controller: Dispatcher.DispatchController): ClientReadWatch {
    return (this.readWatch ??= new ClientReadWatch(controller, this.res, this.request.timeoutMs));
  }

  private backendFailed(raw: Failure): void {
    const error = describeFailure(raw, this.request.timeoutMs);
    // The client left first, or the exchange ended otherwise: nothing to report, nobody to answer.
    if (this.settled || this.res.destroyed) return;
    // The client broke off its own body (an HTTP/2 stream may be reset before its response closes):
    // no fault of the backend, and nobody left to answer.
    if (this.body?.brokenOff) {
      this.settled = true;
      this.res.destroy();
      return;
    }
    if (!this.controller && isInvalidRequest(error)) {
      // A header the client could send but HTTP/1.1 cannot carry: the request is at fault, not the backend.
      this.settled = true;
      this.body?.discard();
      if (this.request.onInvalidRequest) this.request.onInvalidRequest(error.message);
      else this.res.destroy();
      return;
    }
    // The backend closed a kept-alive connection just as it was reused (the keep-alive race):
    // nothing reached the backend's application, so the same server gets the request again
    // over a new connection. Once a byte of an answer came, the application had the request: a
    // connection closed then is a broken answer, and sending the request again could repeat it.
    const stale = this.reused && !this.isRetry && !this.answerBegan && isStaleConnectionError(error);
    if (stale && !this.request.connectionBound && (!this.body || this.body.replayable)) {
      this.settled = true;
      this.successor = new BackendExchange(this.req, this.res, this.request, this.connections, this.body, true);
      this.successor.start();
      return;
    }
    this.fail(error, stale ? { staleConnection: true } : {});
  }

  private fail(error: Failure, kind: Partial<ForwardFailure> = {}): void {
    if (this.settled) return;
    this.settled = true;
    this.stopBackendClock();
    this.body?.discard();
    const { connectionBound } = this.request;
    this.request.onError({ error, connectFailed: isConnectFailure(error), timedOut: isTimeout(error), connectionBound, ...kind });
  }

  private backendTimedOut(): void {
    const error = Object.assign(new Error(`no answer within ${this.request.timeoutMs} ms`), { code: 'ETIMEDOUT' });
    this.fail(error, { timedOut: true });
    this.controller?.abort(error);
  }

  private startBackendClock(): void {
    if (this.settled || this.answered) return;
    this.backendClock = setTimeout(() => this.backendTimedOut(), this.request.timeoutMs);
  }

  private stopBackendClock(): void {
    if (this.backendClock) clearTimeout(this.backendClock);
    this.backendClock = undefined;
  }

  /** The connection goes back for the next request, once. */
  private finish(): void {
    this.stopBackendClock();
    this.readWatch?.stop();
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    const { connection } = this;
    this.connection = undefined;
    if (connection) this.connections.release(connection);
  }
}
