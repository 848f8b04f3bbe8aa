/**
 * Forwards a request or a WebSocket upgrade to one backend with http-proxy-3 through the server's
 * keep-alive agent, and tells the caller how it ended. Every socket error ends up in `onError`;
 * nothing here throws or leaves a socket open.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';

export interface ForwardRequest {
  target: URL;
  agent: http.Agent;
  timeoutMs: number;
  /** Called with the backend's response before its headers are copied to the client. */
  onResponse?: (proxyRes: http.IncomingMessage) => void;
  onError: (failure: ForwardFailure) => void;
  /** The backend broke off its answer after it had begun; the client connection has been closed. */
  onBrokenResponse?: () => void;
}

export interface ForwardFailure {
  error: Error & { code?: string };
  /** The backend could not be reached at all, so the request never got there. */
  connectFailed: boolean;
  timedOut: boolean;
}

const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL', 'ECONNABORTED']);

const FORWARD = Symbol('switchboard.forward');
type TrackedRequest = http.IncomingMessage & {
  [FORWARD]?: { request: ForwardRequest; startedAt: number; proxyReq?: http.ClientRequest };
};

export class Forwarder {
  private readonly proxy = createProxyServer({ xfwd: false });

  constructor() {
    this.proxy.on('proxyReq', (proxyReq, req) => {
      const tracked = (req as TrackedRequest)[FORWARD];
      if (tracked) tracked.proxyReq = proxyReq;
    });
    this.proxy.on('proxyRes', (proxyRes, req, res) => {
      const request = (req as TrackedRequest)[FORWARD]?.request;
      request?.onResponse?.(proxyRes);
      // A backend that dies mid-answer must not leave the client waiting for the rest forever.
      proxyRes.once('close', () => {
        // Also incomplete when the client left first: that is no fault of the backend.
        if (proxyRes.complete || res.destroyed) return;
        res.destroy();
        request?.onBrokenResponse?.();
      });
      proxyRes.on('error', () => {});
    });
    // A client that went away mid-request: http-proxy-3 has already torn down the backend request.
    this.proxy.on('econnreset', () => {});
    this.proxy.on('error', () => {});
  }

  web(req: http.IncomingMessage, res: http.ServerResponse, request: ForwardRequest): void {
    const tracked = req as TrackedRequest;
    const startedAt = Date.now();
    tracked[FORWARD] = { request, startedAt };
    this.proxy.web(req, res, { target: request.target, agent: request.agent, proxyTimeout: request.timeoutMs }, (error) => {
      const state = tracked[FORWARD];
      if (!state || state.request !== request) return;
      const code = (error as { code?: string }).code ?? '';
      const proxyReq = state.proxyReq;
      // A kept-alive socket the backend had just closed fails like a refused connection would.
      const staleSocket = code === 'ECONNRESET' && proxyReq?.reusedSocket === true && !res.headersSent;
      request.onError({
        error,
        connectFailed: CONNECT_ERRORS.has(code) || staleSocket || (code === 'ETIMEDOUT' && !proxyReq),
        timedOut: Date.now() - startedAt >= request.timeoutMs - 5 && !CONNECT_ERRORS.has(code),
      });
    });
  }

  ws(req: http.IncomingMessage, socket: Duplex, head: Buffer, request: ForwardRequest): void {
    this.proxy.ws(req, socket, head, { target: request.target, agent: request.agent }, (error) => {
      const code = (error as { code?: string }).code ?? '';
      request.onError({ error, connectFailed: CONNECT_ERRORS.has(code), timedOut: false });
    });
  }
}
