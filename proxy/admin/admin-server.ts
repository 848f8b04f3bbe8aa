/**
 * The admin HTTP API and the web console: REST + Server-Sent Events over the one ControlApi,
 * guarded by the admin bearer token, plus the built dashboard at `/`. It answers only to its own
 * host names (DNS-rebinding protection), and failed sign-ins are logged and slowed down.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdminHostCheck } from './admin-host-check.js';
import { HttpError, readJsonBody, sendJson } from './admin-http.js';
import { matchAdminRoute } from './admin-routes.js';
import { secretsMatch } from './constant-time.js';
import type { ChangeSource, ControlApi } from '../control/control-api.js';
import { ControlError, httpBodyOf, httpStatusOf } from '../control/control-error.js';
import { openEventStream, type EventStream } from './event-stream.js';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import { PortInUseError, describeListenError } from '../listeners/listen-error.js';
import { SignInLimiter, type SignInLimiterOptions } from './sign-in-limiter.js';
import { serveDashboard } from './static-files.js';

export interface AdminServerOptions {
  control: ControlApi;
  host: string;
  port: number;
  token: string;
  /** Names besides the bound address (and the loopback names) that browsers may use in `Host`. */
  allowedHosts?: readonly string[];
  /** How failed sign-ins are limited per client address; 10 a minute by default. */
  signInLimits?: SignInLimiterOptions;
  /** The built dashboard (`dist/renderer`); without it `/` explains how to build it. */
  dashboardDir?: string;
  logger?: GatewayLogger;
  /** Largest accepted JSON body; 1 MB by default. */
  maxBodyBytes?: number;
  /** Interval of the SSE keep-alive comment; 15 s by default. */
  heartbeatMs?: number;
}

export interface AdminServer {
  /** Where a browser on this machine reaches the console, e.g. `http://127.0.0.1:9090`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const API_PREFIX = '/api/';
const EVENTS_PATH = '/api/events';

export async function startAdminServer(options: AdminServerOptions): Promise<AdminServer> {
  const { control, token, logger } = options;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const eventStreams = new Set<EventStream>();
  const hostIsAllowed = createAdminHostCheck(options.host, options.allowedHosts);
  const signIns = new SignInLimiter(options.signInLimits);

  const server = createServer((req, res) => {
    handleRequest(req, res).catch((error: unknown) => replyWithError(res, error));
  });
  // Malformed HTTP from a client must never take the admin port down.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostIsAllowed(req.headers.host)) {
      refuseHost(req, res);
      return;
    }
    const rawUrl = req.url ?? '/';
    const queryStart = rawUrl.indexOf('?');
    // The raw path, not a WHATWG-normalised one, so that `..` segments are seen and refused.
    const pathname = queryStart >= 0 ? rawUrl.slice(0, queryStart) : rawUrl;
    const query = new URLSearchParams(queryStart >= 0 ? rawUrl.slice(queryStart + 1) : '');

    if (pathname === '/api' || pathname.startsWith(API_PREFIX)) {
      await handleApi(req, res, pathname, query);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: `${req.method} is not allowed here` }, { Allow: 'GET, HEAD' });
      return;
    }
    await serveDashboard(req, res, options.dashboardDir, pathname);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, pathname: string, query: URLSearchParams): Promise<void> {
    const address = clientAddressOf(req);
    const waitMs = signIns.retryAfterMs(address);
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      sendJson(res, 429, { error: `too many failed sign-ins from ${address}; try again in ${seconds} s` }, { 'Retry-After': String(seconds) });
      return;
    }
    const authorization = checkToken(req, pathname, query);
    if (authorization !== 'ok') {
      const { blocked } = signIns.recordFailure(address);
      const reason = authorization === 'missing' ? 'no token' : 'wrong token';
      logger?.warn(`Admin sign-in failed from ${address}: ${reason}`, { address, path: pathname });
      if (blocked) {
        logger?.warn(`Admin sign-ins from ${address} refused for ${signIns.blockMs / 1000} s after ${signIns.maxFailures} failures`, { address });
      }
      sendJson(res, 401, { error: 'missing or wrong admin token (send "Authorization: Bearer <token>")' }, {
        'WWW-Authenticate': 'Bearer realm="switchboard"',
      });
      return;
    }

    if (pathname === EVENTS_PATH) {
      if (req.method !== 'GET') throw new HttpError(405, `${req.method} is not allowed on ${pathname}`, {}, { Allow: 'GET' });
      const stream = openEventStream(res, control, {
        ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
        onClose: () => eventStreams.delete(stream),
      });
      eventStreams.add(stream);
      return;
    }

    const segments = apiSegments(pathname);
    const match = segments ? matchAdminRoute(req.method ?? 'GET', segments) : ({ kind: 'none' } as const);
    if (match.kind === 'none') throw new HttpError(404, `there is no API route ${pathname}`);
    if (match.kind === 'wrong-method') {
      throw new HttpError(405, `${req.method} is not allowed on ${pathname}`, {}, { Allow: match.allowed.join(', ') });
    }

    let body: Promise<unknown> | undefined;
    const reply = await match.handle(
      {
        params: match.params,
        query,
        body: () => (body ??= readJsonBody(req, maxBodyBytes)),
      },
      control.as(sourceOf(req)),
    );
    sendJson(res, reply.status, reply.body);
  }

  function checkToken(req: IncomingMessage, pathname: string, query: URLSearchParams): 'ok' | 'missing' | 'wrong' {
    const header = req.headers.authorization;
    const bearer = header ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
    if (bearer !== undefined) return secretsMatch(bearer, token) ? 'ok' : 'wrong';
    // EventSource cannot send headers, so the event stream alone also takes the token in the query.
    const queryToken = query.get('token');
    if (pathname === EVENTS_PATH && queryToken !== null) return secretsMatch(queryToken, token) ? 'ok' : 'wrong';
    return header === undefined ? 'missing' : 'wrong';
  }

  function refuseHost(req: IncomingMessage, res: ServerResponse): void {
    const text =
      `This is Switchboard's admin server, and it does not answer to the host name ${JSON.stringify(req.headers.host ?? '')}.\n` +
      `Open it as http://${browsableHost(options.host)}:${(server.address() as AddressInfo).port}/ ` +
      'or add the name to "admin.allowedHosts" in the configuration.\n';
    res.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store', Connection: 'close' });
    res.end(text);
  }

  function replyWithError(res: ServerResponse, error: unknown): void {
    if (error instanceof HttpError) {
      sendJson(res, error.status, error.body, error.headers);
    } else if (error instanceof ControlError && error.code !== 'internal') {
      sendJson(res, httpStatusOf(error.code), httpBodyOf(error));
    } else {
      logger?.error('admin API request failed', { error: error instanceof Error ? error.stack ?? error.message : String(error) });
      sendJson(res, 500, { error: 'internal error; see the gateway log' });
    }
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        error.code === 'EADDRINUSE'
          ? new PortInUseError(`the admin port ${options.port} on ${options.host} is already in use`, options.host, options.port)
          : new Error(`the admin API could not listen on ${options.host}:${options.port}: ${describeListenError(error, options.host, options.port)}`),
      );
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (error) => logger?.error('admin API server error', { error: error.message }));

  const port = (server.address() as AddressInfo).port;
  const url = `http://${browsableHost(options.host)}:${port}`;
  logger?.info('admin API listening', { url });

  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of [...eventStreams]) stream.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The host a browser on this machine uses to reach a server bound to `host`. */
export function browsableHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** Decoded path segments after `/api/`, or null when a segment is not valid percent-encoding. */
function apiSegments(pathname: string): string[] | null {
  try {
    return pathname.slice(API_PREFIX.length).split('/').map((segment) => decodeURIComponent(segment));
  } catch {
    return null;
  }
}

/** The peer's address, IPv4-mapped IPv6 written as plain IPv4. */
function clientAddressOf(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? 'unknown';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

function sourceOf(req: IncomingMessage): ChangeSource {
  const claimed = req.headers['x-switchboard-source'];
  // The desktop app attached to the Windows service says whether a change came from its tray.
  return claimed === 'dashboard' || claimed === 'tray' ? claimed : 'api';
}
