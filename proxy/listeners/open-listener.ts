/**
 * One listener of the gateway: its server (HTTP, HTTPS or HTTP/2) opened on its port with the
 * gateway's request handlers, and closed again with a grace time for the requests under way.
 */
import http from 'node:http';
import type http2 from 'node:http2';
import type https from 'node:https';
import type { Duplex } from 'node:stream';
import type { ListenerConfig } from '../config/config-schema.js';
import type { ListenerStatus } from '../control/control-api.js';
import { sendSocketError } from '../forwarding/error-pages.js';
import { acceptRpcOverHttp } from '../forwarding/rpc-over-http.js';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import { refuseConnect } from '../requests/request-hygiene.js';
import { createHttpsRedirectHandler } from '../routing/https-redirect.js';
import { watchListenerCertificates, type CertificateWatcher } from './certificate-watcher.js';
import { createHttpsListenerServer } from './https-listener.js';
import { describeListenError } from './listen-error.js';
import { listenerCertificates, type LoadedListenerTls } from './tls-certificates.js';

/** What a listener does with what arrives on it: the data path and the per-client connection limit. */
export interface ListenerHandlers {
  request(req: http.IncomingMessage, res: http.ServerResponse, secure: boolean): void;
  upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer, secure: boolean): void;
  /** False when the client's address already has as many connections as it may. */
  admitConnection(socket: Duplex): boolean;
}

export interface RunningListener {
  config: ListenerConfig;
  server: http.Server | https.Server | http2.Http2SecureServer;
  status: ListenerStatus;
  certificateWatcher: CertificateWatcher | null;
  /** Every open connection, WebSockets included, so that a stop can end them after the grace time. */
  sockets: Set<Duplex>;
}

export interface ListenerTls {
  loaded: LoadedListenerTls;
  /** Reads the certificate files again after they changed on disk. */
  reload(): LoadedListenerTls;
}

/** Resolves once listening, or once it failed (then `status.error` says why): a listener that cannot bind never stops the gateway. */
export function openListener(config: ListenerConfig, tls: ListenerTls | null, handlers: ListenerHandlers, logger: GatewayLogger): Promise<RunningListener> {
  const secure = Boolean(config.tls);
  const handler = config.redirectToHttps
    ? createHttpsRedirectHandler(config.redirectToHttps.port)
    : (req: http.IncomingMessage, res: http.ServerResponse): void => handlers.request(req, res, secure);
  const status: ListenerStatus = { port: config.port, host: config.host, protocol: secure ? 'https' : 'http', listening: false, error: null };
  const { server, certificateWatcher } = tls
    ? createHttpsServer(config, tls, status, handler, logger)
    : { server: http.createServer(handler), certificateWatcher: null };
  acceptRpcOverHttp(server, tls ? 'secureConnection' : 'connection', handler);
  if ('keepAliveTimeout' in server) {
    server.keepAliveTimeout = 5000;
    server.headersTimeout = 30_000;
  }
  // Node cuts any request not wholly received within 5 minutes (also HTTP/1.1 on an HTTP/2 listener);
  // a large upload on a slow line may take longer, and a stalled one is ended by
  // `clientBodyIdleTimeoutSec` instead.
  (server as { requestTimeout: number }).requestTimeout = 0;
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => handlers.upgrade(req, socket, head, secure));
  server.on('connect', (_req: http.IncomingMessage, socketOrResponse: Duplex | http.ServerResponse) => refuseConnect(socketOrResponse));
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'HPE_HEADER_OVERFLOW') sendSocketError(socket, 431, 'The request headers are too large.');
    else if (error.code === 'ECONNRESET' || !socket.writable) socket.destroy();
    else sendSocketError(socket, 400, 'The request could not be understood.');
  });
  const sockets = new Set<Duplex>();
  server.on('connection', (socket: Duplex) => {
    // Over HTTP the request on it is answered with a 429; over HTTPS the handshake has not even begun.
    if (!handlers.admitConnection(socket) && secure) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  if (tls) {
    status.certificates = listenerCertificates(tls.loaded);
    status.warnings = tls.loaded.warnings;
  }
  const running: RunningListener = { config, server, status, certificateWatcher, sockets };
  return new Promise((resolve) => {
    const failed = (error: NodeJS.ErrnoException): void => {
      status.error = describeListenError(error, config.host, config.port);
      logger.error(`Listener ${config.host}:${config.port} could not start: ${status.error}`);
      certificateWatcher?.close();
      resolve(running);
    };
    server.once('error', failed);
    server.listen(config.port, config.host, () => {
      server.removeListener('error', failed);
      server.on('error', (error) => logger.error(`Listener ${config.host}:${config.port} failed: ${error.message}`));
      status.listening = true;
      resolve(running);
    });
  });
}

function createHttpsServer(
  config: ListenerConfig,
  tls: ListenerTls,
  status: ListenerStatus,
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
  logger: GatewayLogger,
): { server: https.Server | http2.Http2SecureServer; certificateWatcher: CertificateWatcher } {
  const { server, certificates } = createHttpsListenerServer(tls.loaded, handler, { http2: config.tls?.http2 ?? false });
  const certificateWatcher = watchListenerCertificates({
    certificates,
    reload: () => {
      const next = tls.reload();
      status.certificates = listenerCertificates(next);
      status.warnings = next.warnings;
      return next;
    },
    logger,
    label: `listener :${config.port}`,
  });
  return { server, certificateWatcher };
}

/** Stops accepting, closes each keep-alive connection as it turns idle and, after `graceMs`, ends whatever is left. */
export function closeListener(listener: RunningListener, graceMs: number): Promise<void> {
  listener.status.listening = false;
  listener.certificateWatcher?.close();
  const server = listener.server;
  if (!server.listening) return Promise.resolve();
  const closeIdle = (): void => {
    // An HTTP/2 server has no idle HTTP/1 connections to close: its sessions end on close().
    if ('closeIdleConnections' in server) server.closeIdleConnections();
  };
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      for (const socket of listener.sockets) socket.destroy();
    }, graceMs);
    // Keep-alive connections turn idle as their last response ends; close each as soon as it does.
    const idle = setInterval(closeIdle, 50);
    server.close(() => {
      clearTimeout(force);
      clearInterval(idle);
      resolve();
    });
    closeIdle();
  });
}
