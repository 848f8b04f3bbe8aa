import type { MenuItemConstructorOptions } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { GatewaySnapshot } from '../../proxy/control/control-api.js';
import { silentLogger } from '../../proxy/logs/gateway-logger.js';
import type { GatewayStatus } from '../../electron/gateway/gateway-status.js';
import { TrayController } from '../../electron/tray/tray-controller.js';
import { cluster, recordingActions, server, snapshot } from './snapshot-fixtures.js';
import { recorded, resetFakeElectron, type FakeTray } from './fake-electron.js';

vi.mock('electron', () => import('./fake-electron.js'));

const icons = { good: { icon: 'good' }, warning: { icon: 'warning' }, down: { icon: 'down' } } as never;

let status: GatewayStatus;
let current: GatewaySnapshot | null;
let controller: TrayController;
let tray: FakeTray;

beforeEach(() => {
  resetFakeElectron();
  status = { kind: 'running' };
  current = snapshot([cluster('web', [server('v1', 'active'), server('v2', 'active')])]);
  controller = new TrayController({
    icons,
    actions: recordingActions().actions,
    status: () => status,
    fetchSnapshot: async () => current,
    startAtLogin: () => false,
    logger: silentLogger,
  });
  tray = recorded.trays[0]!;
});

function menuLabels(): string[] {
  const template = (tray.menu?.template ?? []) as MenuItemConstructorOptions[];
  return template.flatMap((item) => [item.label ?? '', ...((item.submenu as MenuItemConstructorOptions[] | undefined) ?? []).map((sub) => sub.label ?? '')]);
}

describe('tray controller', () => {
  it('starts with a menu and a starting status', () => {
    expect(controller.rebuilds).toBe(1);
    expect(tray.image).toEqual({ icon: 'warning' });
    expect(menuLabels()[0]).toBe('Switchboard: starting…');
  });

  it('rebuilds on a stats tick only when states or session counts changed', () => {
    controller.handleEvent({ type: 'stats', at: 1, snapshot: current! });
    expect(controller.rebuilds).toBe(2);
    expect(tray.image).toEqual({ icon: 'good' });
    expect(tray.tooltip).toBe('Switchboard — 2 active; 14 sessions');

    const busier = structuredClone(current!);
    busier.clusters[0]!.servers[0]!.requestsPerSec = 250;
    busier.clusters[0]!.servers[0]!.requests = 9000;
    controller.handleEvent({ type: 'stats', at: 2, snapshot: busier });
    expect(controller.rebuilds).toBe(2);

    const moreSessions = structuredClone(busier);
    moreSessions.clusters[0]!.servers[0]!.sessions = 8;
    controller.handleEvent({ type: 'stats', at: 3, snapshot: moreSessions });
    expect(controller.rebuilds).toBe(3);
    expect(menuLabels()).toContain('App v1: active, 8 sessions');
  });

  it('refreshes from the gateway on state changes and turns red when a cluster is down', async () => {
    controller.handleEvent({ type: 'stats', at: 1, snapshot: current! });
    current = snapshot([cluster('web', [server('v1', 'offline'), server('v2', 'draining')])]);
    controller.handleEvent({ type: 'offline', at: 2, clusterId: 'web', serverId: 'v1', serverName: 'App v1', reason: 'refused' });
    await vi.waitFor(() => expect(tray.image).toEqual({ icon: 'down' }));
    expect(menuLabels()).toContain('App v1: offline, 0 sessions');
  });

  it('shows a failed gateway without throwing', async () => {
    status = { kind: 'failed', message: 'listen EADDRINUSE: address already in use 0.0.0.0:8080' };
    current = null;
    await controller.refresh();
    expect(tray.image).toEqual({ icon: 'down' });
    expect(menuLabels()[0]).toBe('Switchboard: gateway stopped: listen EADDRINUSE: address already in use 0.0.0.0:8080');
  });

  it('keeps the tray when reading the state fails', async () => {
    const failing = new TrayController({
      icons,
      actions: recordingActions().actions,
      status: () => status,
      fetchSnapshot: () => Promise.reject(new Error('gone')),
      startAtLogin: () => false,
      logger: silentLogger,
    });
    await failing.refresh();
    expect(recorded.trays[1]!.destroyed).toBe(false);
    expect(recorded.trays[1]!.image).toEqual({ icon: 'warning' });
  });

  it('opens the dashboard on a click of the icon', () => {
    const { actions, calls } = recordingActions();
    new TrayController({ icons, actions, status: () => status, fetchSnapshot: async () => current, startAtLogin: () => false, logger: silentLogger });
    recorded.trays[1]!.emit('click');
    expect(calls).toEqual([{ action: 'openDashboard', args: [] }]);
  });
});
