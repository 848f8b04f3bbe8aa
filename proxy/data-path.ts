/**
 * The data path, top to bottom: request in → route → session → server → forward → stats.
 * It runs for every request, so it does no I/O of its own and allocates little.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { refusingMatcher, refuseRequest, type AccessMatcher, type AddressList } from './routing/access-rules.js';
import { logWhenFinished, type AccessLog, type RequestDetails } from './logs/access-log.js';
import { resolveClientAddress } from './routing/client-address.js';
import { isOverConnectionLimit, type ClientLimits } from './requests/client-limits.js';
import type { ClusterRuntime, ServerRuntime } from './runtime/cluster-runtime.js';
import type { ConnectionPins } from './forwarding/connection-pinning.js';
import { sendGatewayError, sendSocketError } from './forwarding/error-pages.js';
import { backendHostHeader } from './routing/host-header.js';
import { backendRequestHeaders } from './forwarding/backend-request-headers.js';
import { bodyIsChunked } from './requests/request-framing.js';
import { screenRequest, screenUpgrade, sendRefusal } from './requests/request-hygiene.js';
import type { ForwardFailure, Forwarder } from './forwarding/forwarder.js';
import { sendTrailingSlashRedirect, toBackendUrl, withTrailingSlash, type PathMapping } from './routing/path-mapping.js';
import { whenConnectionAllows } from './requests/pipelined-requests.js';
import { announcesBody } from './requests/request-body.js';
import { hasRewritableHeaders, rewriteResponseHeaders } from './forwarding/response-rewrite.js';
import type { RouteMatch, RouteTable } from './routing/route-table.js';
import type { Binding, SessionBinder } from './sessions/session-binder.js';
import { shownSessionId } from './sessions/shown-session-id.js';

export interface TrafficContext {
  readonly routes: RouteTable;
  readonly clusters: ReadonlyMap<string, ClusterRuntime>;
  readonly binder: SessionBinder;
  readonly forwarder: Forwarder;
  /** Backend connections of client connections that use Windows Integrated Authentication. */
  readonly pins: ConnectionPins;
  /** Proxies whose X-Forwarded-For is believed when finding the client's address. */
  readonly trustedProxies: AddressList;
  /** The server-wide access rule, checked before any route's own. */
  readonly serverAccess: AccessMatcher | undefined;
  readonly accessLog: AccessLog;
  /** Per-client-address limits on connections and uploads. */
  readonly clientLimits: ClientLimits;
  /** Live traffic failed on a server: counts as a health-check failure at once. */
  passiveFailure(server: ServerRuntime, reason: string): void;
  /** Live traffic succeeded on a server that had recent failures. */
  passiveSuccess(server: ServerRuntime): void;
}

export class DataPath {
  constructor(private readonly context: TrafficContext) {}

  handleRequest(req: http.IncomingMessage, res: http.ServerResponse, secure: boolean): void {
    whenConnectionAllows(req, res, () => this.handleAdmitted(req, res, secure));
  }

  private handleAdmitted(req: http.IncomingMessage, res: http.ServerResponse, secure: boolean): void {
    if (isOverConnectionLimit(req.socket)) {
      res.shouldKeepAlive = false;
      const limit = this.context.clientLimits.config.connectionsPerClient;
      sendGatewayError(res, 429, `Your address already has ${limit} connections open, the most this gateway allows. Please close some and try again.`);
      return;
    }
    const client = resolveClientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], this.context.trustedProxies);
    const logged: RequestDetails | undefined = this.context.accessLog.enabled ? { clientIp: client, cluster: null, server: null, sessionId: null } : undefined;
    if (logged) logWhenFinished(this.context.accessLog, req, res, () => logged);
    const malformed = screenRequest(req);
    if (malformed) return sendRefusal(req, res, malformed);

    const refused = refusingMatcher(client, this.context.serverAccess);
    if (refused) return refuseRequest(refused.action, req, res);
    const route = this.routeOf(req, (status, text) => sendGatewayError(res, status, text));
    if (!route) return;
    const routeRefused = refusingMatcher(client, route.access);
    if (routeRefused) return refuseRequest(routeRefused.action, req, res);
    if (route.addTrailingSlash) return sendTrailingSlashRedirect(req, res);
    const { cluster } = route;
    if (logged) logged.cluster = cluster.id;
    if (announcesBody(req) && !this.context.clientLimits.admitUpload(client, req)) {
      res.shouldKeepAlive = false;
      const limit = this.context.clientLimits.config.uploadsPerClient;
      sendGatewayError(res, 429, `Your address already has ${limit} uploads in progress, the most this gateway allows. Please wait for one to finish.`);
      return;
    }

    const now = Date.now();
    const binding = this.context.binder.bind(cluster, req, client, secure, now);
    if (!binding) {
      sendGatewayError(res, 503, `No server of "${cluster.config.name}" is available right now. Please try again in a moment.`);
      return;
    }
    const publicHost = hostOf(req);
    mapToBackendPath(req, route.mapping);
    const timeoutSec = route.requestTimeoutSec ?? cluster.config.requestTimeoutSec;
    this.forward(req, res, cluster, binding, { client, secure, startedAt: now, retried: false, logged, timeoutSec, mapping: route.mapping, publicHost });
  }

  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer, secure: boolean): void {
    socket.on('error', () => socket.destroy());
    // Once the gateway has ended its side (the backend closed), a client that keeps its own side
    // open must not hold the socket, and with it the server's WebSocket count, for ever.
    socket.once('finish', () => socket.destroy());
    const malformed = screenUpgrade(req);
    if (malformed) return sendSocketError(socket, malformed.status, malformed.message);
    const client = resolveClientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], this.context.trustedProxies);
    const refuse = (matcher: AccessMatcher): void => {
      if (matcher.action === 'close') socket.destroy();
      else sendSocketError(socket, 403, 'Access to this address is not allowed from your network.');
    };
    const refused = refusingMatcher(client, this.context.serverAccess);
    if (refused) return refuse(refused);
    const route = this.routeOf(req, (status, text) => sendSocketError(socket, status, text));
    if (!route) return;
    const routeRefused = refusingMatcher(client, route.access);
    if (routeRefused) return refuse(routeRefused);
    if (route.addTrailingSlash) return sendSocketError(socket, 404, `This application is at "${withTrailingSlash(req.url ?? '/')}".`);
    const { cluster } = route;
    const binding = this.context.binder.bind(cluster, req, client, secure, Date.now());
    if (!binding) {
      sendSocketError(socket, 503, `No server of "${cluster.config.name}" is available right now.`);
      return;
    }
    mapToBackendPath(req, route.mapping);
    // http-proxy-3 sends req.headers as they are.
    req.headers = this.headersForBackend(req, cluster, client, secure, true) as http.IncomingHttpHeaders;
    const { server } = binding;
    const stats = server.stats;
    stats.countRequest(Date.now());
    stats.websockets++;
    if (stats.websockets === 1) server.refreshState();
    socket.once('close', () => {
      stats.websockets--;
      if (stats.websockets === 0) server.refreshState();
    });
    this.context.forwarder.ws(req, socket, head, {
      ...backendTimeouts(cluster),
      target: server.target,
      agent: server.agent,
      freshAgent: server.freshAgent,
      onError: (failure) => {
        stats.errors++;
        stats.countGatewayError(502, Date.now());
        if (failure.connectFailed) this.context.passiveFailure(server, failure.error.message);
        sendSocketError(socket, 502, 'The server behind this address could not be reached.');
      },
    });
  }

  private routeOf(req: http.IncomingMessage, fail: (status: number, text: string) => void): (RouteMatch & { cluster: ClusterRuntime }) | undefined {
    const host = hostOf(req);
    const route = this.context.routes.match(host, req.url ?? '/');
    const cluster = route === undefined ? undefined : this.context.clusters.get(route.clusterId);
    if (!route || !cluster) {
      fail(404, `This gateway has no application for host "${host ?? ''}" and path "${(req.url ?? '/').split('?')[0]}".`);
      return undefined;
    }
    if (!cluster.config.enabled) {
      fail(503, `"${cluster.config.name}" is switched off on this gateway for now. Please try again later.`);
      return undefined;
    }
    return { clusterId: route.clusterId, access: route.access, mapping: route.mapping, addTrailingSlash: route.addTrailingSlash, requestTimeoutSec: route.requestTimeoutSec, cluster };
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse, cluster: ClusterRuntime, binding: Binding, attempt: Attempt): void {
    const { server } = binding;
    const pin = this.context.pins.agentFor(req, server, attempt.client);
    if (pin.kind === 'full') {
      server.stats.countGatewayError(503, Date.now());
      sendGatewayError(res, 503, `${pin.reason} Please try again in a moment.`);
      return;
    }
    const stats = server.stats;
    stats.countRequest(attempt.startedAt);
    stats.inflight++;
    if (stats.inflight === 1) server.refreshState();
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      stats.inflight--;
      stats.recordLatency(Date.now() - attempt.startedAt);
      if (stats.inflight === 0) server.refreshState();
    };
    res.once('close', end);
    if (attempt.logged) {
      attempt.logged.server = server.id;
      attempt.logged.sessionId = shownSessionId(cluster.config.sessionMethod, binding.session.key);
    }

    this.context.forwarder.web(req, res, {
      target: server.target,
      agent: pin.kind === 'pinned' ? pin.agent : server.agent,
      // A Windows-authenticated connection is the only one its requests may use: no retry elsewhere.
      freshAgent: pin.kind === 'pinned' ? undefined : server.freshAgent,
      timeoutMs: attempt.timeoutSec * 1000,
      bodyIdleTimeoutMs: cluster.config.clientBodyIdleTimeoutSec * 1000,
      connectionWaitMs: cluster.config.backendConnectionWaitSec * 1000,
      headers: this.headersForBackend(req, cluster, attempt.client, attempt.secure, false),
      compression: cluster.config.compression.enabled ? cluster.config.compression : undefined,
      // Added by the forwarder after the rewriting below: the gateway's own cookie is never rewritten.
      setCookie: binding.setCookie,
      onResponse: (proxyRes) => {
        stats.countBackendStatus(proxyRes.statusCode ?? 0, Date.now());
        if (cluster.config.rewriteResponseUrls && hasRewritableHeaders(proxyRes.headers)) {
          const sentHost = backendHostHeader(cluster.config.hostHeader, attempt.publicHost);
          rewriteResponseHeaders(proxyRes.headers, { secure: attempt.secure, publicHost: attempt.publicHost, mapping: attempt.mapping, backend: server.target, sentHost });
        }
        if (pin.kind === 'shared') this.context.pins.noteResponse(req, server, proxyRes, attempt.client);
        if (server.health.consecutiveFailures > 0) this.context.passiveSuccess(server);
      },
      onError: (failure) => this.failed(req, res, cluster, binding, attempt, failure, end),
      onBrokenResponse: () => {
        stats.errors++;
        this.context.passiveFailure(server, 'the connection broke off in the middle of a response');
      },
      onInvalidRequest: () => sendGatewayError(res, 400, 'The request could not be forwarded as it was sent.'),
    });
  }

  private headersForBackend(req: http.IncomingMessage, cluster: ClusterRuntime, client: string, secure: boolean, upgrade: boolean): http.OutgoingHttpHeaders {
    const peer = req.socket.remoteAddress ?? '';
    const host = hostOf(req);
    return backendRequestHeaders(req.headers, {
      peer,
      client,
      trusted: this.context.trustedProxies.size > 0 && this.context.trustedProxies.includes(peer),
      secure,
      host,
      backendHost: backendHostHeader(cluster.config.hostHeader, host),
      chunked: bodyIsChunked(req),
      upgrade,
    });
  }

  private failed(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    cluster: ClusterRuntime,
    binding: Binding,
    attempt: Attempt,
    failure: ForwardFailure,
    endAttempt: () => void,
  ): void {
    const { server } = binding;
    if (failure.clientStalled) {
      // The rest of the body may still come: this connection cannot carry another request.
      res.shouldKeepAlive = false;
      sendGatewayError(res, 408, `The request body stopped arriving for ${cluster.config.clientBodyIdleTimeoutSec} s, so the request was abandoned. Please send it again.`);
      return;
    }
    if (failure.staleConnection) {
      // The keep-alive race, no fault of the server's: only the body could not be kept to send again.
      server.stats.countGatewayError(502, Date.now());
      sendGatewayError(res, 502, 'The server closed its connection just as this request was sent, and the request body was too large to send again. Please send it again.');
      return;
    }
    server.stats.errors++;
    if (failure.connectionsBusy) {
      // A full pool is load, not ill health: the server stays online and keeps its sessions.
      server.stats.countGatewayError(503, Date.now());
      sendGatewayError(res, 503, `All ${server.agent.maxSockets} connections to server "${server.config.name}" are busy. Please try again in a moment.`);
      return;
    }
    this.context.passiveFailure(server, failure.error.message);
    if (failure.connectFailed && !attempt.retried && !res.headersSent && hasNoBody(req)) {
      const next = this.context.binder.moveElsewhere(cluster, binding, attempt.client, attempt.secure, Date.now());
      if (next) {
        res.removeListener('close', endAttempt);
        endAttempt();
        this.forward(req, res, cluster, next, { ...attempt, retried: true });
        return;
      }
    }
    server.stats.countGatewayError(failure.timedOut ? 504 : 502, Date.now());
    if (failure.timedOut) sendGatewayError(res, 504, `The server behind this address took longer than ${attempt.timeoutSec} s to answer.`);
    else sendGatewayError(res, 502, 'The server behind this address could not be reached or broke off its answer.');
  }
}

interface Attempt {
  client: string;
  secure: boolean;
  startedAt: number;
  retried: boolean;
  /** How long the backend may stay silent: the route's limit, else the cluster's. */
  timeoutSec: number;
  /** What the access log will say of this request, while it is on. */
  logged: RequestDetails | undefined;
  /** The route's path mapping, for the backend's URLs in the response. */
  mapping: PathMapping | undefined;
  /** The Host the client sent, before a fixed Host header replaced it for the backend. */
  publicHost: string | undefined;
}

function backendTimeouts(cluster: ClusterRuntime): { timeoutMs: number; bodyIdleTimeoutMs: number; connectionWaitMs: number } {
  const { config } = cluster;
  return {
    timeoutMs: config.requestTimeoutSec * 1000,
    bodyIdleTimeoutMs: config.clientBodyIdleTimeoutSec * 1000,
    connectionWaitMs: config.backendConnectionWaitSec * 1000,
  };
}

/** The control service's session lists shorten ids by this too. */
export { SHOWN_SESSION_ID_LENGTH } from './sessions/shown-session-id.js';

function hasNoBody(req: http.IncomingMessage): boolean {
  const length = req.headers['content-length'];
  // An HTTP/2 body may come without a length, and was read into the failed attempt.
  return (length === undefined || length === '0') && !bodyIsChunked(req);
}

/** A mapped route's public path becomes the backend's. */
function mapToBackendPath(req: http.IncomingMessage, mapping: PathMapping | undefined): void {
  if (mapping) req.url = toBackendUrl(req.url ?? '/', mapping);
}

/** HTTP/2 clients name the host in the `:authority` pseudo-header instead of Host. */
function hostOf(req: http.IncomingMessage): string | undefined {
  return req.headers.host ?? (req.headers[':authority'] as string | undefined);
}
