/**
 * Forwards WebSocket upgrades through http-proxy-3: its per-request cost is paid once per
 * connection here, unlike plain requests (see `forwarder.ts`).
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';
import { isConnectFailure, type ForwardFailure } from './forward-request.js';

export interface UpgradeRequest {
  target: URL;
  agent: http.Agent;
  onError: (failure: ForwardFailure) => void;
}

export class WebSocketForwarder {
  private readonly proxy = createProxyServer({ xfwd: false });

  constructor() {
    this.proxy.on('error', () => {});
  }

  /** `req.headers` are sent as they are: the caller has replaced them with the backend's. */
  forward(req: http.IncomingMessage, socket: Duplex, head: Buffer, request: UpgradeRequest): void {
    this.proxy.ws(req, socket, head, { target: request.target, agent: request.agent }, (error) => {
      request.onError({ error, connectFailed: isConnectFailure(error), timedOut: false });
    });
  }
}
