/**
 * The admin HTTP API (DESIGN.md §4) and the web console: REST + Server-Sent Events over the one
 * ControlApi, guarded by the admin bearer token, plus the built dashboard at `/`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpError, readJsonBody, sendJson } from './admin-http.js';
import { matchAdminRoute } from './admin-routes.js';
import { secretsMatch } from './constant-time.js';
import type { ChangeSource, ControlApi } from './control-api.js';
import { ControlError } from './control-error.js';
import { openEventStream, type EventStream } from './event-stream.js';
import type { GatewayLogger } from './gateway-logger.js';
import { serveDashboard } from './static-files.js';

export interface AdminServerOptions {
  control: ControlApi;
  host: string;
  port: number;
  token: string;
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

  const server = createServer((req, res) => {
    handleRequest(req, res).catch((error: unknown) => replyWithError(res, error));
  });
  // Malformed HTTP from a client must never take the admin port down.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
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
    if (!isAuthorized(req, pathname, query)) {
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
        source: sourceOf(req),
      },
      control,
    );
    sendJson(res, reply.status, reply.body);
  }

  function isAuthorized(req: IncomingMessage, pathname: string, query: URLSearchParams): boolean {
    const header = req.headers.authorization;
    const bearer = header ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
    if (bearer !== undefined) return secretsMatch(bearer, token);
    // EventSource cannot send headers, so the event stream alone also takes the token in the query.
    const queryToken = query.get('token');
    if (pathname === EVENTS_PATH && queryToken !== null) return secretsMatch(queryToken, token);
    return false;
  }

  function replyWithError(res: ServerResponse, error: unknown): void {
    if (error instanceof HttpError) {
      sendJson(res, error.status, error.body, error.headers);
    } else if (error instanceof ControlError) {
      if (error.code === 'not-found') sendJson(res, 404, { error: error.message });
      else sendJson(res, 400, { error: error.message, issues: error.issues });
    } else {
      logger?.error('admin API request failed', { error: error instanceof Error ? error.stack ?? error.message : String(error) });
      sendJson(res, 500, { error: 'internal error; see the gateway log' });
    }
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`the admin port ${options.port} on ${options.host} is already in use`)
          : new Error(`the admin API could not listen on ${options.host}:${options.port}: ${error.message}`),
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

function sourceOf(req: IncomingMessage): ChangeSource {
  const claimed = req.headers['x-switchboard-source'];
  // The desktop app attached to the Windows service says whether a change came from its tray.
  return claimed === 'dashboard' || claimed === 'tray' ? claimed : 'api';
}
