/** The route and cluster a request goes to, or the client's answer when there is none or it is switched off. */
import type http from 'node:http';
import type { ClusterRuntime } from '../runtime/cluster-runtime.js';
import { toBackendUrl, type PathMapping } from './path-mapping.js';
import type { RouteMatch, RouteTable } from './route-table.js';

export type RoutedRequest = RouteMatch & { cluster: ClusterRuntime };

export function routeRequest(
  routes: RouteTable,
  clusters: ReadonlyMap<string, ClusterRuntime>,
  req: http.IncomingMessage,
  fail: (status: number, text: string) => void,
): RoutedRequest | undefined {
  const host = hostOf(req);
  const route = routes.match(host, req.url ?? '/');
  const cluster = route === undefined ? undefined : clusters.get(route.clusterId);
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

/** HTTP/2 clients name the host in the `:authority` pseudo-header instead of Host. */
export function hostOf(req: http.IncomingMessage): string | undefined {
  return req.headers.host ?? (req.headers[':authority'] as string | undefined);
}

/** A mapped route's public path becomes the backend's. */
export function mapToBackendPath(req: http.IncomingMessage, mapping: PathMapping | undefined): void {
  if (mapping) req.url = toBackendUrl(req.url ?? '/', mapping);
}
