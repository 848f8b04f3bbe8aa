/**
 * The data path of a WebSocket upgrade: screened, routed and bound to a session like any request,
 * then handed to the WebSocket forwarder, with the server's WebSocket count kept while it lasts.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { TrafficContext } from '../runtime/traffic-context.js';
import { refusingMatcher, type AccessMatcher } from '../routing/access-rules.js';
import { resolveClientAddress } from '../routing/client-address.js';
import { withTrailingSlash } from '../routing/path-mapping.js';
import { mapToBackendPath, routeRequest } from '../routing/request-route.js';
import { screenUpgrade } from '../requests/request-hygiene.js';
import { headerObject, headersForBackend } from './backend-request-headers.js';
import { sendSocketError } from './error-pages.js';

export function forwardUpgrade(context: TrafficContext, req: http.IncomingMessage, socket: Duplex, head: Buffer, secure: boolean): void {
  socket.on('error', () => socket.destroy());
  // Once the gateway has ended its side (the backend closed), a client that keeps its own side
  // open must not hold the socket, and with it the server's WebSocket count, for ever.
  socket.once('finish', () => socket.destroy());
  const malformed = screenUpgrade(req);
  if (malformed) return sendSocketError(socket, malformed.status, malformed.message);
  const client = resolveClientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], context.trustedProxies);
  const refuse = (matcher: AccessMatcher): void => {
    if (matcher.action === 'close') socket.destroy();
    else sendSocketError(socket, 403, 'Access to this address is not allowed from your network.');
  };
  const refused = refusingMatcher(client, context.serverAccess);
  if (refused) return refuse(refused);
  const route = routeRequest(context.routes, context.clusters, req, (status, text) => sendSocketError(socket, status, text));
  if (!route) return;
  const routeRefused = refusingMatcher(client, route.access);
  if (routeRefused) return refuse(routeRefused);
  if (route.addTrailingSlash) return sendSocketError(socket, 404, `This application is at "${withTrailingSlash(req.url ?? '/')}".`);
  const { cluster } = route;
  const binding = context.binder.bind(cluster, req, client, secure, Date.now());
  if (!binding) {
    sendSocketError(socket, 503, `No server of "${cluster.config.name}" is available right now.`);
    return;
  }
  mapToBackendPath(req, route.mapping);
  // http-proxy-3 sends req.headers as they are.
  req.headers = headerObject(headersForBackend(req, cluster.config.hostHeader, client, secure, context.trustedProxies, true, binding.server.target.host)) as http.IncomingHttpHeaders;
  const { server } = binding;
  const stats = server.stats;
  stats.countRequest(Date.now());
  stats.websockets++;
  if (stats.websockets === 1) server.refreshState();
  socket.once('close', () => {
    stats.websockets--;
    if (stats.websockets === 0) server.refreshState();
  });
  context.forwarder.ws(req, socket, head, {
    target: server.target,
    agent: server.agent,
    onError: (failure) => {
      stats.errors++;
      stats.countGatewayError(502, Date.now());
      if (failure.connectFailed) context.passiveFailure(server, failure.error.message);
      sendSocketError(socket, 502, 'The server behind this address could not be reached.');
    },
  });
}
