/**
 * The server object of an HTTPS listener, with its certificates swappable while it runs: the
 * default certificate through `server.setSecureContext`, the SNI certificates through a lookup
 * that always reads the current set.
 */
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import type tls from 'node:tls';
import { closeIdleHttp2Sessions } from './http2-idle-sessions.js';
import type { LoadedListenerTls } from './tls-certificates.js';

const HTTP2_SESSION_IDLE_MS = 5000;

export type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export type HttpsListenerServer = https.Server | http2.Http2SecureServer;

export interface HttpsListenerOptions {
  /**
   * Offer HTTP/2 by ALPN (HTTP/1.1 clients and WebSocket upgrades keep working). Off by default:
   * the backends are always spoken to over HTTP/1.1, so HTTP/2 only helps the client leg.
   */
  http2?: boolean;
}

/** The certificates a listener is serving right now. */
export class LiveCertificates {
  private loaded: LoadedListenerTls;
  readonly server: HttpsListenerServer;

  constructor(server: HttpsListenerServer, loaded: LoadedListenerTls) {
    this.server = server;
    this.loaded = loaded;
  }

  get current(): LoadedListenerTls {
    return this.loaded;
  }

  /** New connections get `next`; connections already open keep the certificate they shook hands with. */
  replace(next: LoadedListenerTls): void {
    this.server.setSecureContext(next.secureContextOptions);
    this.loaded = next;
  }

  /** Stable for the server's lifetime, so that a swap needs no new server. */
  readonly sniCallback = (servername: string, callback: (error: Error | null, context?: tls.SecureContext) => void): void => {
    this.loaded.sniCallback(servername, callback);
  };
}

export function createHttpsListenerServer(
  loaded: LoadedListenerTls,
  handler: RequestHandler,
  options: HttpsListenerOptions = {},
): { server: HttpsListenerServer; certificates: LiveCertificates } {
  let certificates: LiveCertificates | undefined;
  const sniCallback = (servername: string, callback: (error: Error | null, context?: tls.SecureContext) => void): void => {
    if (certificates) certificates.sniCallback(servername, callback);
    else loaded.sniCallback(servername, callback);
  };

  const server: HttpsListenerServer = options.http2
    ? // http2's compatibility request/response mirror the http ones closely enough for the gateway's
      // handler, and http-proxy-3 strips the HTTP/2 pseudo-headers before forwarding.
      http2.createSecureServer(
        { ...loaded.secureContextOptions, SNICallback: sniCallback, allowHTTP1: true, ALPNProtocols: ['h2', 'http/1.1'] },
        handler as unknown as (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void,
      )
    : https.createServer({ ...loaded.secureContextOptions, SNICallback: sniCallback, ALPNProtocols: ['http/1.1'] }, handler);

  // The same idle limit as the gateway's HTTP/1.1 keep-alive connections.
  if (options.http2) closeIdleHttp2Sessions(server as http2.Http2SecureServer, HTTP2_SESSION_IDLE_MS);
  certificates = new LiveCertificates(server, loaded);
  return { server, certificates };
}
