/**
 * The data path, top to bottom: request in → route → session → server → forward → stats.
 * It runs for every request, so it does no I/O of its own and allocates little.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { refusingMatcher, refuseRequest, type AccessMatcher, type AddressList } from './access-rules.js';
import { logWhenFinished, type AccessLog, type RequestDetails } from './access-log.js';
import { resolveClientAddress } from './client-address.js';
import { isOverConnectionLimit, type ClientLimits } from './client-limits.js';
import type { ClusterRuntime, ServerRuntime } from './cluster-runtime.js';
import { sendGatewayError, sendSocketError } from './error-pages.js';
import { backendHostHeader } from './host-header.js';
import type { ForwardFailure, Forwarder } from './forwarder.js';
import { whenConnectionAllows } from './pipelined-requests.js';
import { announcesBody } from './request-body.js';
import type { RouteMatch, RouteTable } from './route-table.js';
import type { Binding, SessionBinder } from './session-binder.js';

export interface TrafficContext {
  readonly routes: RouteTable;
  readonly clusters: ReadonlyMap<string, ClusterRuntime>;
  readonly binder: SessionBinder;
  readonly forwarder: Forwarder;
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

    const refused = refusingMatcher(client, this.context.serverAccess);
    if (refused) return refuseRequest(refused.action, req, res);
    const route = this.routeOf(req, (status, text) => sendGatewayError(res, status, text));
    if (!route) return;
    const routeRefused = refusingMatcher(client, route.access);
    if (routeRefused) return refuseRequest(routeRefused.action, req, res);
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
    prepareForBackend(req, cluster, secure);
    this.forward(req, res, cluster, binding, { client, secure, startedAt: now, retried: false, logged });
  }

  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer, secure: boolean): void {
    socket.on('error', () => socket.destroy());
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
    const { cluster } = route;
    const binding = this.context.binder.bind(cluster, req, client, secure, Date.now());
    if (!binding) {
      sendSocketError(socket, 503, `No server of "${cluster.config.name}" is available right now.`);
      return;
    }
    prepareForBackend(req, cluster, secure);
    const { server } = binding;
    const stats = server.stats;
    stats.requests++;
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
    return { clusterId: route.clusterId, access: route.access, cluster };
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse, cluster: ClusterRuntime, binding: Binding, attempt: Attempt): void {
    const { server } = binding;
    const stats = server.stats;
    stats.requests++;
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
      attempt.logged.sessionId = binding.session.key.slice(0, SHOWN_SESSION_ID_LENGTH);
    }

    this.context.forwarder.web(req, res, {
      ...backendTimeouts(cluster),
      target: server.target,
      agent: server.agent,
      freshAgent: server.freshAgent,
      compression: cluster.config.compression.enabled ? cluster.config.compression : undefined,
      onResponse: (proxyRes) => {
        if (binding.setCookie) appendSetCookie(proxyRes, binding.setCookie);
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
      sendGatewayError(res, 502, 'The server closed its connection just as this request was sent, and the request body was too large to send again. Please send it again.');
      return;
    }
    server.stats.errors++;
    if (failure.connectionsBusy) {
      // A full pool is load, not ill health: the server stays online and keeps its sessions.
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
    if (failure.timedOut) sendGatewayError(res, 504, `The server behind this address took longer than ${cluster.config.requestTimeoutSec} s to answer.`);
    else sendGatewayError(res, 502, 'The server behind this address could not be reached or broke off its answer.');
  }
}

interface Attempt {
  client: string;
  secure: boolean;
  startedAt: number;
  retried: boolean;
  /** What the access log will say of this request, while it is on. */
  logged: RequestDetails | undefined;
}

function backendTimeouts(cluster: ClusterRuntime): { timeoutMs: number; bodyIdleTimeoutMs: number; connectionWaitMs: number } {
  const { config } = cluster;
  return {
    timeoutMs: config.requestTimeoutSec * 1000,
    bodyIdleTimeoutMs: config.clientBodyIdleTimeoutSec * 1000,
    connectionWaitMs: config.backendConnectionWaitSec * 1000,
  };
}

/** Enough of a session id to tell sessions apart in logs and lists, too little to use one. */
export const SHOWN_SESSION_ID_LENGTH = 8;

function hasNoBody(req: http.IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length === undefined || length === '0') && req.headers['transfer-encoding'] === undefined;
}

/** X-Forwarded-For gets the peer this gateway saw; Host becomes the cluster's fixed name when it has one. */
function prepareForBackend(req: http.IncomingMessage, cluster: ClusterRuntime, secure: boolean): void {
  const headers = req.headers;
  const peer = req.socket.remoteAddress ?? '';
  const previous = headers['x-forwarded-for'];
  headers['x-forwarded-for'] = previous ? `${previous}, ${peer}` : peer;
  headers['x-forwarded-proto'] = secure ? 'https' : 'http';
  const host = hostOf(req);
  headers['x-forwarded-host'] = host ?? '';
  const hostHeader = backendHostHeader(cluster.config.hostHeader, host);
  if (hostHeader !== undefined) headers.host = hostHeader;
}

/** HTTP/2 clients name the host in the `:authority` pseudo-header instead of Host. */
function hostOf(req: http.IncomingMessage): string | undefined {
  return req.headers.host ?? (req.headers[':authority'] as string | undefined);
}

function appendSetCookie(proxyRes: http.IncomingMessage, cookie: string): void {
  const existing = proxyRes.headers['set-cookie'];
  proxyRes.headers['set-cookie'] = existing ? [...existing, cookie] : [cookie];
}
