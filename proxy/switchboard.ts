/**
 * The whole of Switchboard without a desktop, and where its parts are put together: the gateway,
 * the control service over it, and the admin API and web console over that. Headless mode and the
 * Electron main process both start it this way. The parts and how they meet: docs/architecture.md.
 */
import { startAdminServer, browsableHost, type AdminServer } from './admin/admin-server.js';
import type { ConfigStore } from './config/config-store.js';
import type { ControlApi } from './control/control-api.js';
import { ControlService } from './control/control-service.js';
import { Gateway } from './gateway.js';
import type { GatewayLogger } from './logs/gateway-logger.js';
import type { StateStore } from './config/state-store.js';

export interface SwitchboardOptions {
  configStore: ConfigStore;
  stateStore: StateStore;
  dashboardDir?: string;
  logger?: GatewayLogger;
}

export interface RunningSwitchboard {
  gateway: Gateway;
  control: ControlApi;
  admin: AdminServer;
  /** The web console with its token, e.g. `http://127.0.0.1:9090/#token=…` (the fragment never reaches a server log). */
  consoleUrl: string;
  stop(options?: { graceMs?: number; reason?: string }): Promise<void>;
}

export async function startSwitchboard(options: SwitchboardOptions): Promise<RunningSwitchboard> {
  const gateway = new Gateway({
    configStore: options.configStore,
    stateStore: options.stateStore,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const control = new ControlService(gateway);
  await gateway.start();

  const { admin: adminConfig } = gateway.currentConfig();
  let admin: AdminServer;
  try {
    admin = await startAdminServer({
      control,
      host: adminConfig.host,
      port: adminConfig.port,
      token: adminConfig.token,
      ...(adminConfig.allowedHosts ? { allowedHosts: adminConfig.allowedHosts } : {}),
      ...(options.dashboardDir !== undefined ? { dashboardDir: options.dashboardDir } : {}),
      // The gateway's logger: failed sign-ins belong in the event log as well as on the console.
      logger: gateway.logger,
    });
  } catch (error) {
    // Without its admin port the gateway could not be managed: do not leave it running.
    await gateway.stop({ graceMs: 0, reason: 'the admin API could not start' });
    throw error;
  }

  const consoleUrl = `http://${browsableHost(adminConfig.host)}:${admin.port}/#token=${encodeURIComponent(adminConfig.token)}`;

  let stopping: Promise<void> | undefined;
  return {
    gateway,
    control,
    admin,
    consoleUrl,
    stop: (stopOptions) =>
      (stopping ??= (async () => {
        await admin.close();
        await gateway.stop(stopOptions);
      })()),
  };
}
