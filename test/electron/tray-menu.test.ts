import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { ServerState } from '../../proxy/control/control-api.js';
import type { GatewayStatus } from '../../electron/gateway/gateway-status.js';
import { buildTrayMenuTemplate } from '../../electron/tray/tray-menu.js';
import { cluster, recordingActions, server, snapshot } from './snapshot-fixtures.js';

const running: GatewayStatus = { kind: 'running' };

function find(items: MenuItemConstructorOptions[], id: string): MenuItemConstructorOptions {
  for (const item of items) {
    if (item.id === id) return item;
    if (Array.isArray(item.submenu)) {
      const found = findOrNull(item.submenu, id);
      if (found) return found;
    }
  }
  throw new Error(`no menu item ${id}`);
}

function findOrNull(items: MenuItemConstructorOptions[], id: string): MenuItemConstructorOptions | null {
  try {
    return find(items, id);
  } catch {
    return null;
  }
}

function click(item: MenuItemConstructorOptions): void {
  (item.click as () => void)();
}

describe('tray menu template', () => {
  it('says there are no clusters yet and still offers the gateway-wide items', () => {
    const { actions } = recordingActions();
    const template = buildTrayMenuTemplate(snapshot([]), { status: running, startAtLogin: false, actions });
    expect(find(template, 'status').label).toBe('Switchboard: no servers yet');
    expect(find(template, 'status').enabled).toBe(false);
    expect(find(template, 'no-clusters').enabled).toBe(false);
    expect(template.map((item) => item.id).filter(Boolean)).toEqual(['status', 'mode', 'no-clusters', 'open-dashboard', 'open-console', 'copy-console-link', 'pause', 'start-at-login', 'quit']);
    expect(find(template, 'pause').label).toBe('Pause gateway');
    expect(find(template, 'start-at-login')).toMatchObject({ type: 'checkbox', checked: false });
  });

  it('lists one cluster with a server in every state, with the actions each state allows', () => {
    const { actions } = recordingActions();
    const states: ServerState[] = ['active', 'draining', 'drained', 'offline', 'disabled'];
    const servers = states.map((state) => server(state, state));
    const template = buildTrayMenuTemplate(snapshot([cluster('web', servers)]), { status: running, startAtLogin: false, actions });

    const clusterItem = find(template, 'cluster:web');
    expect(clusterItem.label).toBe('Cluster web (10 sessions)');
    expect((clusterItem.submenu as MenuItemConstructorOptions[]).map((item) => item.label)).toEqual([
      'App active: active, 7 sessions',
      'App draining: draining, 3 sessions',
      'App drained: drained, safe to stop, 0 sessions',
      'App offline: offline, 0 sessions',
      'App disabled: disabled, 0 sessions',
    ]);

    const enabledActions = (id: string) =>
      ['drain', 'restore', 'toggle'].filter((action) => find(template, `server:web/${id}:${action}`).enabled);
    expect(enabledActions('active')).toEqual(['drain', 'toggle']);
    expect(enabledActions('draining')).toEqual(['restore', 'toggle']);
    expect(enabledActions('drained')).toEqual(['restore', 'toggle']);
    expect(enabledActions('offline')).toEqual(['drain', 'toggle']);
    expect(enabledActions('disabled')).toEqual(['toggle']);

    expect(find(template, 'server:web/active:drain').label).toBe('Drain (capacity 50 → 0)');
    expect(find(template, 'server:web/drained:restore').label).toBe('Restore (capacity 0 → 50)');
    expect(find(template, 'server:web/active:toggle').label).toBe('Disable');
    expect(find(template, 'server:web/disabled:toggle').label).toBe('Enable');
  });

  it('calls a server staged at capacity 0 standby, never safe to stop', () => {
    const { actions } = recordingActions();
    const staged = server('new', 'drained', { name: 'App 1.1', standby: true, safeToStop: false, drainedFromCapacity: null });
    const template = buildTrayMenuTemplate(snapshot([cluster('web', [server('old', 'active'), staged])]), { status: running, startAtLogin: false, actions });
    const labels = (find(template, 'cluster:web').submenu as MenuItemConstructorOptions[]).map((item) => item.label);
    expect(labels).toContain('App 1.1: standby, takes no new sessions, 0 sessions');
    expect(labels.join(' ')).not.toContain('safe to stop');
  });

  it('gives every cluster its own submenu, in order, and an empty cluster says so', () => {
    const { actions } = recordingActions();
    const template = buildTrayMenuTemplate(
      snapshot([
        cluster('intranet', [server('v1', 'active'), server('v2', 'active')]),
        cluster('shop', []),
        cluster('crm', [server('a', 'draining')]),
      ]),
      { status: running, startAtLogin: true, actions },
    );
    expect(template.filter((item) => item.id?.startsWith('cluster:')).map((item) => item.id)).toEqual([
      'cluster:intranet',
      'cluster:shop',
      'cluster:crm',
    ]);
    expect(find(template, 'cluster:shop').submenu).toEqual([{ id: 'cluster:shop:empty', label: 'No servers', enabled: false }]);
    expect(find(template, 'cluster:crm').label).toBe('Cluster crm (3 sessions, down)');
    expect(find(template, 'start-at-login').checked).toBe(true);
  });

  it('marks a disabled cluster and escapes "&" so Windows does not read it as a shortcut key', () => {
    const { actions } = recordingActions();
    const template = buildTrayMenuTemplate(
      snapshot([cluster('ops', [server('x', 'active', { name: 'Sales & Ops' })], { name: 'R&D', enabled: false })]),
      { status: running, startAtLogin: false, actions },
    );
    expect(find(template, 'cluster:ops').label).toBe('R&&D (disabled)');
    expect(find(template, 'server:ops/x').label).toBe('Sales && Ops: active, 7 sessions');
  });

  it('offers Resume while paused', () => {
    const { actions, calls } = recordingActions();
    const template = buildTrayMenuTemplate(snapshot([], { paused: true }), { status: running, startAtLogin: false, actions });
    expect(find(template, 'status').label).toBe('Switchboard: paused (not accepting traffic)');
    const pause = find(template, 'pause');
    expect(pause.label).toBe('Resume gateway');
    click(pause);
    expect(calls).toEqual([{ action: 'setPaused', args: [false] }]);
  });

  it('disables gateway actions while the gateway is not running and shows why', () => {
    const { actions } = recordingActions();
    const failed = buildTrayMenuTemplate(null, { status: { kind: 'failed', message: 'listen EADDRINUSE 0.0.0.0:8080' }, startAtLogin: false, actions });
    expect(find(failed, 'status').label).toBe('Switchboard: gateway stopped: listen EADDRINUSE 0.0.0.0:8080');
    expect(find(failed, 'pause').enabled).toBe(false);
    expect(find(failed, 'open-dashboard').enabled).not.toBe(false);
    expect(find(failed, 'quit').enabled).not.toBe(false);

    const stopping = buildTrayMenuTemplate(snapshot([cluster('web', [server('v1', 'active')])]), {
      status: { kind: 'stopping' },
      startAtLogin: false,
      actions,
    });
    expect(find(stopping, 'server:web/v1:drain').enabled).toBe(false);
    expect(find(stopping, 'server:web/v1:toggle').enabled).toBe(false);
  });

  it('calls the matching action for every item', () => {
    const { actions, calls } = recordingActions();
    const template = buildTrayMenuTemplate(
      snapshot([cluster('web', [server('v1', 'active'), server('v0', 'drained'), server('old', 'disabled')])]),
      { status: running, startAtLogin: false, actions },
    );
    for (const id of [
      'server:web/v1:drain',
      'server:web/v0:restore',
      'server:web/v1:toggle',
      'server:web/old:toggle',
      'server:web/v1:show',
      'open-dashboard',
      'open-console',
      'copy-console-link',
      'pause',
      'start-at-login',
      'quit',
    ]) {
      click(find(template, id));
    }
    expect(calls).toEqual([
      { action: 'drainServer', args: ['web', 'v1'] },
      { action: 'restoreServer', args: ['web', 'v0'] },
      { action: 'setServerEnabled', args: ['web', 'v1', false] },
      { action: 'setServerEnabled', args: ['web', 'old', true] },
      { action: 'openDashboard', args: [{ clusterId: 'web', serverId: 'v1' }] },
      { action: 'openDashboard', args: [] },
      { action: 'openConsoleInBrowser', args: [] },
      { action: 'copyConsoleLink', args: [] },
      { action: 'setPaused', args: [true] },
      { action: 'setStartAtLogin', args: [true] },
      { action: 'quit', args: [] },
    ]);
  });

  it('drains any server in two clicks from a top-level Drain menu, and restores from Restore', () => {
    const { actions, calls } = recordingActions();
    const template = buildTrayMenuTemplate(
      snapshot([
        cluster('web', [server('v1', 'active'), server('v0', 'draining')], { name: 'Intranet' }),
        cluster('shop', [server('s1', 'active', { name: 'Shop & Co' }), server('s2', 'disabled')], { name: 'Shop' }),
      ]),
      { status: running, startAtLogin: false, actions },
    );
    const drainMenu = find(template, 'drain-menu');
    expect(template.indexOf(drainMenu)).toBeGreaterThan(template.findIndex((item) => item.id === 'cluster:shop'));
    const drainItems = drainMenu.submenu as MenuItemConstructorOptions[];
    expect(drainItems.map((item) => [item.label, item.enabled])).toEqual([
      ['App v1 — Intranet, 7 sessions', true],
      ['App v0 — Intranet, 3 sessions', false],
      ['Shop && Co — Shop, 7 sessions', true],
      ['App s2 — Shop, 0 sessions', false],
    ]);
    const restoreItems = find(template, 'restore-menu').submenu as MenuItemConstructorOptions[];
    expect(restoreItems.map((item) => [item.id, item.label, item.enabled])).toEqual([
      ['restore:web/v0', 'App v0 — Intranet, 3 sessions (capacity 0 → 50)', true],
    ]);
    click(find(template, 'drain:shop/s1'));
    click(find(template, 'restore:web/v0'));
    expect(calls).toEqual([
      { action: 'drainServer', args: ['shop', 's1'] },
      { action: 'restoreServer', args: ['web', 'v0'] },
    ]);
  });

  it('says when there is nothing to restore, and greys both menus while the gateway is not running', () => {
    const { actions } = recordingActions();
    const live = snapshot([cluster('web', [server('v1', 'active')])]);
    const template = buildTrayMenuTemplate(live, { status: running, startAtLogin: false, actions });
    expect(find(template, 'restore-menu').submenu).toEqual([{ id: 'restore:none', label: 'No drained server to restore', enabled: false }]);
    const stopping = buildTrayMenuTemplate(live, { status: { kind: 'stopping' }, startAtLogin: false, actions });
    expect(find(stopping, 'drain:web/v1').enabled).toBe(false);
    expect(find(stopping, 'open-console').enabled).toBe(false);
    expect(find(stopping, 'copy-console-link').enabled).toBe(false);
  });

  it('shows where the gateway runs, and offers the service controls only when attached to the service', () => {
    const { actions, calls } = recordingActions();
    const inApp = buildTrayMenuTemplate(snapshot([]), { status: running, startAtLogin: false, actions });
    expect(find(inApp, 'mode')).toMatchObject({ label: 'Gateway: in this app', enabled: false });
    expect(findOrNull(inApp, 'service-stop')).toBeNull();
    expect(find(inApp, 'quit').label).toBe('Quit Switchboard');

    const attached = buildTrayMenuTemplate(snapshot([]), { mode: 'service', status: running, startAtLogin: false, actions });
    expect(find(attached, 'mode').label).toBe('Gateway: Windows service');
    expect(find(attached, 'quit').label).toBe('Quit (the service keeps running)');
    expect([find(attached, 'service-start').enabled, find(attached, 'service-stop').enabled]).toEqual([false, true]);
    click(find(attached, 'service-stop'));

    const unreachable = buildTrayMenuTemplate(null, {
      mode: 'service',
      status: { kind: 'unreachable', message: 'the gateway service at http://127.0.0.1:9090 cannot be reached (ECONNREFUSED)' },
      startAtLogin: false,
      actions,
    });
    expect(find(unreachable, 'status').label).toBe(
      'Switchboard: service unreachable: the gateway service at http://127.0.0.1:9090 cannot be reached (ECONNREFUSED)',
    );
    expect([find(unreachable, 'service-start').enabled, find(unreachable, 'service-stop').enabled]).toEqual([true, false]);
    expect(find(unreachable, 'pause').enabled).toBe(false);
    click(find(unreachable, 'service-start'));
    expect(calls).toEqual([
      { action: 'stopService', args: [] },
      { action: 'startService', args: [] },
    ]);
  });
});
