/**
 * What the tray menu can ask for. The menu template only calls these; `createTrayActions` maps
 * them onto the control API with source `'tray'` so the event log says where a change came from.
 */
import type { ControlApi } from '../proxy/control-api.js';

/** Where the dashboard should open: the whole gateway, or focused on one server. */
export interface DashboardTarget {
  clusterId: string;
  serverId: string;
}

export interface TrayActions {
  /** Control actions settle once the gateway has applied them (or the failure was reported). */
  drainServer(clusterId: string, serverId: string): Promise<void>;
  restoreServer(clusterId: string, serverId: string): Promise<void>;
  setServerEnabled(clusterId: string, serverId: string, enabled: boolean): Promise<void>;
  openDashboard(target?: DashboardTarget): void;
  setPaused(paused: boolean): Promise<void>;
  setStartAtLogin(enabled: boolean): void;
  quit(): void;
}

export interface TrayActionDependencies {
  /** The running gateway's control API, or null while it is not running. */
  control(): ControlApi | null;
  openDashboard(target?: DashboardTarget): void;
  setStartAtLogin(enabled: boolean): void;
  quit(): void;
  /** A menu click has no caller to return an error to: the shell shows it instead. */
  reportFailure(action: string, error: unknown): void;
}

export function createTrayActions(deps: TrayActionDependencies): TrayActions {
  const run = async (action: string, call: (control: ControlApi) => Promise<unknown>): Promise<void> => {
    const control = deps.control();
    if (control === null) {
      deps.reportFailure(action, new Error('the gateway is not running'));
      return;
    }
    try {
      await call(control);
    } catch (error) {
      deps.reportFailure(action, error);
    }
  };
  return {
    drainServer: (clusterId, serverId) => run('Drain', (control) => control.drainServer(clusterId, serverId, 'tray')),
    restoreServer: (clusterId, serverId) => run('Restore', (control) => control.restoreServer(clusterId, serverId, 'tray')),
    setServerEnabled: (clusterId, serverId, enabled) =>
      run(enabled ? 'Enable' : 'Disable', (control) => control.updateServer(clusterId, serverId, { enabled }, 'tray')),
    setPaused: (paused) => run(paused ? 'Pause gateway' : 'Resume gateway', (control) => control.setPaused(paused, 'tray')),
    openDashboard: (target) => deps.openDashboard(target),
    setStartAtLogin: (enabled) => deps.setStartAtLogin(enabled),
    quit: () => deps.quit(),
  };
}
