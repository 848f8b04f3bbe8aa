/**
 * A fingerprint of everything the tray menu and icon show. Stats ticks arrive every second; the
 * menu is rebuilt only when this changes, so an open menu is not torn down under the mouse.
 */
import type { GatewaySnapshot } from '../../proxy/control/control-api.js';
import type { GatewayStatus } from '../gateway/gateway-status.js';

export function trayDigest(snapshot: GatewaySnapshot | null, status: GatewayStatus, startAtLogin: boolean): string {
  const statusPart = 'message' in status ? `${status.kind}:${status.message}` : status.kind;
  if (snapshot === null) return JSON.stringify([statusPart, startAtLogin]);
  return JSON.stringify([
    statusPart,
    startAtLogin,
    snapshot.paused,
    snapshot.listeners.map((listener) => [listener.port, listener.listening]),
    snapshot.clusters.map((cluster) => [
      cluster.id,
      cluster.name,
      cluster.enabled,
      cluster.servers.map((server) => [
        server.id,
        server.name,
        server.state,
        server.sessions,
        server.enabled,
        server.capacity,
        server.drainedFromCapacity,
      ]),
    ]),
  ]);
}
