/**
 * The data path, top to bottom: request in → route → session → server → forward → stats.
 * It runs for every request, so it does no I/O of its own and allocates little.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { refusingMatcher, refuseRequest } from './routing/access-rules.js';
import { logWhenFinished, type RequestDetails } from './logs/access-log.js';
import { resolveClientAddress } from './routing/client-address.js';
import { isOverConnectionLimit } from './requests/client-limits.js';
import type { ClusterRuntime } from './runtime/cluster-runtime.js';
import { InflightRequest } from './runtime/inflight-request.js';
import { sendGatewayError } from './forwarding/error-pages.js';
import { backendHostHeader } from './routing/host-header.js';
import { headersForBackend } from './forwarding/backend-request-headers.js';
import { answerFailedForward } from './forwarding/failed-forward.js';
import { screenRequest, sendRefusal } from './requests/request-hygiene.js';
import { forwardUpgrade } from './forwarding/upgrade-forwarding.js';
import { sendTrailingSlashRedirect, type PathMapping } from './routing/path-mapping.js';
import { whenConnectionAllows } from './requests/pipelined-requests.js';
import { announcesBody } from './requests/request-body.js';
import { hasRewritableHeaders, rewriteResponseHeaders } from './forwarding/response-rewrite.js';
import { hostOf, mapToBackendPath, routeRequest } from './routing/request-route.js';
import type { Binding } from './sessions/session-binder.js';
import type { TrafficContext } from './runtime/traffic-context.js';
import { shownSessionId } from './sessions/shown-session-id.js';

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
    const route = routeRequest(this.context.routes, this.context.clusters, req, (status, text) => sendGatewayError(res, status, text));
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
    forwardUpgrade(this.context, req, socket, head, secure);
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse, cluster: ClusterRuntime, binding: Binding, attempt: Attempt): void {
    const { server } = binding;
    const { context } = this;
    const dataPath = this;
    const pin = context.pins.connectionsFor(req, server, attempt.client);
    if (pin.kind === 'full') {
      server.stats.countGatewayError(503, Date.now());
      sendGatewayError(res, 503, `${pin.reason} Please try again in a moment.`);
      return;
    }
    const inflight = new InflightRequest(server, attempt.startedAt);
    // An arrow, not the method itself: a retry ends this count early, and the second call is a no-op.
    res.once('close', () => inflight.end());
    if (attempt.logged) {
      attempt.logged.server = server.id;
      attempt.logged.sessionId = shownSessionId(cluster.config.sessionMethod, binding.session.key);
    }

    context.forwarder.web(req, res, {
      connections: pin.kind === 'pinned' ? pin.connections : server.connections,
      // A Windows-authenticated connection is the only one its requests may use: no retry elsewhere.
      connectionBound: pin.kind === 'pinned',
      timeoutMs: attempt.timeoutSec * 1000,
      bodyIdleTimeoutMs: cluster.config.clientBodyIdleTimeoutSec * 1000,
      connectionWaitMs: cluster.config.backendConnectionWaitSec * 1000,
      headers: headersForBackend(req, cluster.config.hostHeader, attempt.client, attempt.secure, context.trustedProxies, false, server.target.host),
      compression: cluster.config.compression.enabled ? cluster.config.compression : undefined,
      // Added by the forwarder after the rewriting below: the gateway's own cookie is never rewritten.
      setCookie: binding.setCookie,
      // Methods, not arrows: on this path, closures with names of their own cost measurably more.
      onResponse(response) {
        server.stats.countBackendStatus(response.statusCode, Date.now());
        if (cluster.config.rewriteResponseUrls && hasRewritableHeaders(response.headers)) {
          const sentHost = backendHostHeader(cluster.config.hostHeader, attempt.publicHost);
          rewriteResponseHeaders(response.headers, { secure: attempt.secure, publicHost: attempt.publicHost, mapping: attempt.mapping, backend: server.target, sentHost });
        }
        if (pin.kind === 'shared') context.pins.noteResponse(req, server, response, attempt.client);
        if (server.health.consecutiveFailures > 0) context.passiveSuccess(server);
      },
      onError(failure) {
        answerFailedForward(context, req, res, cluster, binding, attempt, failure, (next) => {
          inflight.end();
          dataPath.forward(req, res, cluster, next, { ...attempt, retried: true });
        });
      },
      onBrokenResponse() {
        server.stats.errors++;
        context.passiveFailure(server, 'the connection broke off in the middle of a response');
      },
      onInvalidRequest() {
        sendGatewayError(res, 400, 'The request could not be forwarded as it was sent.');
      },
    });
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

