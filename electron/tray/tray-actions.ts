/**
 * What the tray menu can ask for. The menu template only calls these; `createTrayActions` maps
 * them onto the control API with source `'tray'` so the event log says where a change came from,
 * and asks first (a native dialog saying what users will see) before a change that would leave a
 * cluster with no server for new users, pause the gateway or stop the service.
 */
import type { ControlApi } from '../../proxy/control/control-api.js';
import { outageWarning, type OutageWarning, type RiskyChange } from './tray-outage.js';

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
  /** The web console (admin API's page, with its token) in the default browser. */
  openConsoleInBrowser(): void;
  /** The web console's link, with its token, on the clipboard. */
  copyConsoleLink(): void;
  setPaused(paused: boolean): Promise<void>;
  setStartAtLogin(enabled: boolean): void;
  /** Attached to the Windows service: start or stop it (asks for elevation). */
  startService(): Promise<void>;
  stopService(): Promise<void>;
  quit(): void;
}

export interface TrayActionDependencies {
  /** The gateway's control API, or null while there is none. */
  control(): ControlApi | null;
  openDashboard(target?: DashboardTarget): void;
  /** The web console's link with its token, or null while the gateway is not running. */
  consoleUrl(): string | null;
  openInBrowser(url: string): void;
  copyText(text: string): void;
  setStartAtLogin(enabled: boolean): void;
  /** Runs the elevated start or stop of the Windows service. */
  controlService(action: 'start' | 'stop'): Promise<void>;
  /** Asks the admin; resolves true to go ahead. */
  confirm(warning: OutageWarning): Promise<boolean>;
  quit(): void;
  /** A menu click has no caller to return an error to: the shell shows it instead. */
  reportFailure(action: string, error: unknown): void;
}

export function createTrayActions(deps: TrayActionDependencies): TrayActions {
  /** Asks first when the change would cause an outage; the current state decides, not the menu's. */
  const confirmed = async (control: ControlApi | null, change: RiskyChange): Promise<boolean> => {
    const snapshot = control === null || change.kind === 'pause' || change.kind === 'stop-service' ? null : await control.getState();
    const warning = outageWarning(snapshot, change);
    return warning === null || (await deps.confirm(warning));
  };

  const run = async (action: string, call: (control: ControlApi) => Promise<unknown>, risk?: RiskyChange): Promise<void> => {
    const control = deps.control()?.as('tray') ?? null;
    if (control === null) {
      deps.reportFailure(action, new Error('the gateway is not running'));
      return;
    }
    try {
      if (risk && !(await confirmed(control, risk))) return;
      await call(control);
    } catch (error) {
      deps.reportFailure(action, error);
    }
  };

  const withConsoleUrl = (action: string, use: (url: string) => void): void => {
    const url = deps.consoleUrl();
    if (url === null) deps.reportFailure(action, new Error('the gateway is not running'));
    else use(url);
  };

  return {
    drainServer: (clusterId, serverId) =>
      run('Drain', (control) => control.drainServer(clusterId, serverId), { kind: 'drain', clusterId, serverId }),
    restoreServer: (clusterId, serverId) => run('Restore', (control) => control.restoreServer(clusterId, serverId)),
    setServerEnabled: (clusterId, serverId, enabled) =>
      run(
        enabled ? 'Enable' : 'Disable',
        (control) => control.updateServer(clusterId, serverId, { enabled }),
        enabled ? undefined : { kind: 'disable', clusterId, serverId },
      ),
    setPaused: (paused) =>
      run(paused ? 'Pause gateway' : 'Resume gateway', (control) => control.setPaused(paused), paused ? { kind: 'pause' } : undefined),
    openDashboard: (target) => deps.openDashboard(target),
    openConsoleInBrowser: () => withConsoleUrl('Open web console', (url) => deps.openInBrowser(url)),
    copyConsoleLink: () => withConsoleUrl('Copy web console link', (url) => deps.copyText(url)),
    setStartAtLogin: (enabled) => deps.setStartAtLogin(enabled),
    startService: async () => {
      try {
        await deps.controlService('start');
      } catch (error) {
        deps.reportFailure('Start service', error);
      }
    },
    stopService: async () => {
      try {
        if (!(await confirmed(null, { kind: 'stop-service' }))) return;
        await deps.controlService('stop');
      } catch (error) {
        deps.reportFailure('Stop service', error);
      }
    },
    quit: () => deps.quit(),
  };
}
