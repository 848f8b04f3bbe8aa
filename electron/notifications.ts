/**
 * Native notifications for the moments an admin waits for: a server has drained (safe to stop),
 * went offline, or came back. Each is raised once per transition, and clicking one opens the
 * dashboard at that server.
 */
import { Notification } from 'electron';
import type { GatewayEvent } from '../proxy/control/control-api.js';
import type { DashboardTarget } from './tray/tray-actions.js';

export interface ServerNotice {
  title: string;
  body: string;
  target: DashboardTarget;
}

type NoticeKind = 'drained' | 'offline' | 'online';

/** The text of a notification for an event, or null for events that do not warrant one. */
function noticeFor(event: GatewayEvent): ServerNotice | null {
  const target = 'serverId' in event ? { clusterId: event.clusterId, serverId: event.serverId } : null;
  if (target === null) return null;
  switch (event.type) {
    case 'drained':
      return { title: 'Server drained', body: `${event.serverName} has no sessions left — safe to stop`, target };
    case 'offline':
      return { title: 'Server offline', body: `${event.serverName} is offline: ${event.reason}`, target };
    case 'online':
      return { title: 'Server back online', body: `${event.serverName} is back online`, target };
    default:
      return null;
  }
}

/**
 * Turns the event stream into notices, once per transition: the same kind twice in a row for a
 * server is not repeated, and "back online" is only said after an "offline" was.
 */
export function createServerNotifier(show: (notice: ServerNotice) => void): (event: GatewayEvent) => void {
  const lastKind = new Map<string, NoticeKind>();
  return (event) => {
    if (event.type !== 'drained' && event.type !== 'offline' && event.type !== 'online') {
      if (event.type === 'state' && event.to !== 'drained') forgetDrained(lastKind, `${event.clusterId}/${event.serverId}`);
      return;
    }
    const key = `${event.clusterId}/${event.serverId}`;
    const previous = lastKind.get(key);
    if (previous === event.type) return;
    if (event.type === 'online' && previous !== 'offline') return;
    lastKind.set(key, event.type);
    const notice = noticeFor(event);
    if (notice !== null) show(notice);
  };
}

/** Leaving `drained` (a restore, new traffic) makes the next drain worth announcing again. */
function forgetDrained(lastKind: Map<string, NoticeKind>, key: string): void {
  if (lastKind.get(key) === 'drained') lastKind.delete(key);
}

/**
 * Shows a notice with Electron. Notifications are kept referenced until dismissed: on Windows a
 * collected Notification loses its click handler.
 */
export function createDesktopNotificationPresenter(open: (target: DashboardTarget) => void): (notice: ServerNotice) => void {
  const shown = new Set<Notification>();
  return (notice) => {
    if (!Notification.isSupported()) return;
    const notification = new Notification({ title: notice.title, body: notice.body });
    shown.add(notification);
    notification.on('click', () => {
      shown.delete(notification);
      open(notice.target);
    });
    notification.on('close', () => shown.delete(notification));
    notification.show();
  };
}
