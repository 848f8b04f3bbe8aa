/**
 * Everything the data path reads per request, as an interface: the live traffic state
 * (live-traffic.ts) provides it, and the data path and the forwarding pieces it calls only read it.
 */
import type { ConnectionPins } from '../forwarding/connection-pinning.js';
import type { Forwarder } from '../forwarding/forwarder.js';
import type { AccessLog } from '../logs/access-log.js';
import type { ClientLimits } from '../requests/client-limits.js';
import type { AccessMatcher, AddressList } from '../routing/access-rules.js';
import type { RouteTable } from '../routing/route-table.js';
import type { SessionBinder } from '../sessions/session-binder.js';
import type { ClusterRuntime, ServerRuntime } from './cluster-runtime.js';

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
