/**
 * The tray menu as a pure function of the gateway snapshot: no Electron at run time, so every
 * state and cluster shape is unit-tested. Clicks only call the given actions.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { ClusterSnapshot, GatewaySnapshot, ServerSnapshot, ServerState } from '../../proxy/control/control-api.js';
import { plural } from '../../renderer/src/format.js';
import type { GatewayMode, GatewayStatus } from '../gateway/gateway-status.js';
import type { TrayActions } from './tray-actions.js';
import { isClusterDown, statusSummary } from './tray-health.js';

export interface TrayMenuOptions {
  /** In the app (the default) or attached to the Windows service. */
  mode?: GatewayMode;
  status: GatewayStatus;
  startAtLogin: boolean;
  actions: TrayActions;
}

const STATE_LABELS: Record<ServerState, string> = {
  active: 'active',
  draining: 'draining',
  drained: 'drained, safe to stop',
  offline: 'offline',
  disabled: 'disabled',
};

/** A capacity-0 server that had nothing to drain is on standby; only a finished drain is safe to stop. */
function stateLabel(server: ServerSnapshot): string {
  return server.standby ? 'standby, takes no new sessions' : STATE_LABELS[server.state];
}

export function buildTrayMenuTemplate(snapshot: GatewaySnapshot | null, options: TrayMenuOptions): MenuItemConstructorOptions[] {
  const { actions } = options;
  const running = options.status.kind === 'running' && snapshot !== null;
  const paused = snapshot?.paused ?? false;
  const mode = options.mode ?? 'app';
  return [
    { id: 'status', label: menuText(`Switchboard: ${statusSummary(snapshot, options.status)}`), enabled: false },
    { id: 'mode', label: mode === 'service' ? 'Gateway: Windows service' : 'Gateway: in this app', enabled: false },
    { type: 'separator' },
    ...clusterItems(snapshot, running, actions),
    ...quickDrainItems(snapshot, running, actions),
    { type: 'separator' },
    { id: 'open-dashboard', label: 'Open dashboard', click: () => actions.openDashboard() },
    { id: 'open-console', label: 'Open web console in browser', enabled: running, click: () => actions.openConsoleInBrowser() },
    { id: 'copy-console-link', label: 'Copy web console link', enabled: running, click: () => actions.copyConsoleLink() },
    {
      id: 'pause',
      label: paused ? 'Resume gateway' : 'Pause gateway',
      enabled: running,
      click: () => actions.setPaused(!paused),
    },
    {
      id: 'start-at-login',
      label: 'Start at login',
      type: 'checkbox',
      checked: options.startAtLogin,
      click: () => actions.setStartAtLogin(!options.startAtLogin),
    },
    ...(mode === 'service' ? serviceItems(options.status, actions) : []),
    { type: 'separator' },
    mode === 'service'
      ? { id: 'quit', label: 'Quit (the service keeps running)', click: () => actions.quit() }
      : { id: 'quit', label: 'Quit Switchboard', click: () => actions.quit() },
  ];
}

/** Starting and stopping the Windows service; each asks Windows for elevation. */
function serviceItems(status: GatewayStatus, actions: TrayActions): MenuItemConstructorOptions[] {
  return [
    { type: 'separator' },
    { id: 'service-start', label: 'Start service', enabled: status.kind === 'unreachable', click: () => void actions.startService() },
    { id: 'service-stop', label: 'Stop service', enabled: status.kind === 'running', click: () => void actions.stopService() },
  ];
}

function clusterItems(snapshot: GatewaySnapshot | null, running: boolean, actions: TrayActions): MenuItemConstructorOptions[] {
  if (snapshot === null) return [];
  if (snapshot.clusters.length === 0) {
    return [{ id: 'no-clusters', label: 'No clusters yet: open the dashboard to add one', enabled: false }];
  }
  return snapshot.clusters.map((cluster) => ({
    id: `cluster:${cluster.id}`,
    label: menuText(clusterLabel(cluster)),
    submenu: cluster.servers.length === 0
      ? [{ id: `cluster:${cluster.id}:empty`, label: 'No servers', enabled: false }]
      : cluster.servers.map((server) => serverItem(cluster, server, running, actions)),
  }));
}

/**
 * Drain and Restore at the top level, every server of every cluster in one list: a soft rollout's
 * most frequent step in two clicks.
 */
function quickDrainItems(snapshot: GatewaySnapshot | null, running: boolean, actions: TrayActions): MenuItemConstructorOptions[] {
  const servers = (snapshot?.clusters ?? []).flatMap((cluster) => cluster.servers.map((server) => ({ cluster, server })));
  if (servers.length === 0) return [];
  const restorable = servers.filter(({ server }) => server.drainedFromCapacity !== null);
  return [
    { type: 'separator' },
    {
      id: 'drain-menu',
      label: 'Drain',
      submenu: servers.map(({ cluster, server }) => ({
        id: `drain:${cluster.id}/${server.id}`,
        label: menuText(`${server.name} — ${cluster.name}, ${plural(server.sessions, 'session', 'sessions')}`),
        enabled: running && server.enabled && server.capacity > 0,
        click: () => void actions.drainServer(cluster.id, server.id),
      })),
    },
    {
      id: 'restore-menu',
      label: 'Restore',
      submenu:
        restorable.length === 0
          ? [{ id: 'restore:none', label: 'No drained server to restore', enabled: false }]
          : restorable.map(({ cluster, server }) => ({
              id: `restore:${cluster.id}/${server.id}`,
              label: menuText(`${server.name} — ${cluster.name}, ${plural(server.sessions, 'session', 'sessions')} (capacity 0 → ${server.drainedFromCapacity})`),
              enabled: running,
              click: () => void actions.restoreServer(cluster.id, server.id),
            })),
    },
  ];
}

function clusterLabel(cluster: ClusterSnapshot): string {
  if (!cluster.enabled) return `${cluster.name} (disabled)`;
  const down = isClusterDown(cluster) ? ', down' : '';
  return `${cluster.name} (${plural(cluster.sessions, 'session', 'sessions')}${down})`;
}

function serverLabel(server: ServerSnapshot): string {
  return `${server.name}: ${stateLabel(server)}, ${plural(server.sessions, 'session', 'sessions')}`;
}

function serverItem(
  cluster: ClusterSnapshot,
  server: ServerSnapshot,
  running: boolean,
  actions: TrayActions,
): MenuItemConstructorOptions {
  const key = `server:${cluster.id}/${server.id}`;
  const restoreTo = server.drainedFromCapacity;
  return {
    id: key,
    label: menuText(serverLabel(server)),
    submenu: [
      {
        id: `${key}:drain`,
        label: server.capacity > 0 ? `Drain (capacity ${server.capacity} → 0)` : 'Drain',
        enabled: running && server.enabled && server.capacity > 0,
        click: () => actions.drainServer(cluster.id, server.id),
      },
      {
        id: `${key}:restore`,
        label: restoreTo === null ? 'Restore' : `Restore (capacity 0 → ${restoreTo})`,
        enabled: running && restoreTo !== null,
        click: () => actions.restoreServer(cluster.id, server.id),
      },
      {
        id: `${key}:toggle`,
        label: server.enabled ? 'Disable' : 'Enable',
        enabled: running,
        click: () => actions.setServerEnabled(cluster.id, server.id, !server.enabled),
      },
      { type: 'separator' },
      {
        id: `${key}:show`,
        label: 'Show in dashboard',
        click: () => actions.openDashboard({ clusterId: cluster.id, serverId: server.id }),
      },
    ],
  };
}

/** Windows menus read "&" as a keyboard-accelerator marker; a literal one is written "&&". */
function menuText(text: string): string {
  return text.replaceAll('&', '&&');
}
