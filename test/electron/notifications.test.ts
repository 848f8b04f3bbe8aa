import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GatewayEvent } from '../../proxy/control/control-api.js';
import type { DashboardTarget } from '../../electron/tray/tray-actions.js';
import { createDesktopNotificationPresenter, createServerNotifier } from '../../electron/notifications.js';
import { eventually, startGateway, type Harness } from '../support/gateway-harness.js';
import { startBackends, stopBackends, type TestBackend } from '../support/test-backend.js';
import { recorded, resetFakeElectron } from './fake-electron.js';

vi.mock('electron', () => import('./fake-electron.js'));

const base = { at: 1, clusterId: 'web', serverId: 'v1', serverName: 'App 1.0' };
const drained: GatewayEvent = { type: 'drained', ...base };
const offline: GatewayEvent = { type: 'offline', ...base, reason: 'connect ECONNREFUSED 127.0.0.1:3001' };
const online: GatewayEvent = { type: 'online', ...base };

let opened: DashboardTarget[];
let notify: (event: GatewayEvent) => void;

beforeEach(() => {
  resetFakeElectron();
  opened = [];
  notify = createServerNotifier(createDesktopNotificationPresenter((target) => opened.push(target)));
});

describe('server notifications', () => {
  it('says a drained server is safe to stop, once, and opens the dashboard at it on click', () => {
    notify(drained);
    notify(drained);
    expect(recorded.notifications).toHaveLength(1);
    const [notification] = recorded.notifications;
    expect(notification!.body).toBe('App 1.0 has no sessions left — safe to stop');
    expect(notification!.shown).toBe(true);
    notification!.emit('click');
    expect(opened).toEqual([{ clusterId: 'web', serverId: 'v1' }]);
  });

  it('announces a second drain after the server left the drained state', () => {
    notify(drained);
    notify({ type: 'state', ...base, from: 'drained', to: 'active' });
    notify({ type: 'state', ...base, from: 'active', to: 'draining' });
    notify(drained);
    expect(recorded.notifications.map((n) => n.title)).toEqual(['Server drained', 'Server drained']);
  });

  it('reports offline once and back online once, but not an online that followed no offline', () => {
    notify(online);
    notify(offline);
    notify(offline);
    notify(online);
    notify(online);
    expect(recorded.notifications.map((n) => `${n.title}: ${n.body}`)).toEqual([
      'Server offline: App 1.0 is offline: connect ECONNREFUSED 127.0.0.1:3001',
      'Server back online: App 1.0 is back online',
    ]);
  });

  it('keeps servers apart and ignores config and stats events', () => {
    notify(drained);
    notify({ ...drained, serverId: 'v2', serverName: 'App 1.1' } as GatewayEvent);
    notify({ type: 'config', at: 1, source: 'api', summary: 'x' });
    expect(recorded.notifications.map((n) => n.body)).toEqual([
      'App 1.0 has no sessions left — safe to stop',
      'App 1.1 has no sessions left — safe to stop',
    ]);
  });
});

describe('notifications from a real gateway', () => {
  let backends: TestBackend[];
  let harness: Harness;

  afterEach(async () => {
    await harness.stop();
    await stopBackends(backends);
  });

  it('raises one "safe to stop" notification when a server without sessions is drained', async () => {
    backends = await startBackends('v1', 'v2');
    harness = await startGateway([
      {
        id: 'web',
        name: 'Intranet',
        servers: [
          { id: 'v1', name: 'App 1.0', url: backends[0]!.url, capacity: 50 },
          { id: 'v2', name: 'App 1.1', url: backends[1]!.url, capacity: 50 },
        ],
      },
    ]);
    harness.control.subscribe(notify);
    await harness.control.as('tray').drainServer('web', 'v1');
    await eventually(() => expect(recorded.notifications).toHaveLength(1));
    expect(recorded.notifications[0]!.body).toBe('App 1.0 has no sessions left — safe to stop');
    // More ticks of the gateway do not repeat it.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(recorded.notifications).toHaveLength(1);
  });
});
