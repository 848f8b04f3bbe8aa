/**
 * The tray icon and its menu, kept in step with the gateway. The menu is rebuilt only when what
 * it shows changes (see tray-digest), so the one-second stats ticks do not close a menu the user
 * has open.
 */
import { Menu, Tray, type NativeImage } from 'electron';
import type { GatewayEvent, GatewaySnapshot } from '../../proxy/control/control-api.js';
import type { GatewayLogger } from '../../proxy/logs/gateway-logger.js';
import { messageOf } from '../error-message.js';
import type { GatewayMode, GatewayStatus } from '../gateway/gateway-status.js';
import type { TrayActions } from './tray-actions.js';
import { trayDigest } from './tray-digest.js';
import { trayHealth, trayTooltip, type TrayHealth } from './tray-health.js';
import { buildTrayMenuTemplate } from './tray-menu.js';

export interface TrayControllerOptions {
  icons: Record<TrayHealth, NativeImage>;
  actions: TrayActions;
  /** In the app (the default) or attached to the Windows service. */
  mode?: GatewayMode;
  status(): GatewayStatus;
  /** The latest snapshot, fetched from the gateway; null while it is not running. */
  fetchSnapshot(): Promise<GatewaySnapshot | null>;
  startAtLogin(): boolean;
  logger: GatewayLogger;
}

export class TrayController {
  readonly #options: TrayControllerOptions;
  readonly #tray: Tray;
  #snapshot: GatewaySnapshot | null = null;
  #digest = '';
  #rebuilds = 0;

  constructor(options: TrayControllerOptions) {
    this.#options = options;
    this.#tray = new Tray(options.icons.warning);
    this.#tray.on('click', () => options.actions.openDashboard());
    this.#render(true);
  }

  /** How many times the menu has been built, for tests of the rebuild rule. */
  get rebuilds(): number {
    return this.#rebuilds;
  }

  /** Stats carry a fresh snapshot; the other events mean "something changed, look again". */
  handleEvent(event: GatewayEvent): void {
    if (event.type === 'stats') this.show(event.snapshot);
    else void this.refresh();
  }

  async refresh(): Promise<void> {
    try {
      this.show(await this.#options.fetchSnapshot());
    } catch (error) {
      this.#options.logger.warn('could not read the gateway state for the tray', { error: messageOf(error) });
      this.show(null);
    }
  }

  show(snapshot: GatewaySnapshot | null): void {
    this.#snapshot = snapshot;
    this.#render(false);
  }

  destroy(): void {
    this.#tray.destroy();
  }

  #render(force: boolean): void {
    const status = this.#options.status();
    const startAtLogin = this.#options.startAtLogin();
    const digest = trayDigest(this.#snapshot, status, startAtLogin);
    if (!force && digest === this.#digest) return;
    this.#digest = digest;
    this.#rebuilds++;
    this.#tray.setImage(this.#options.icons[trayHealth(this.#snapshot, status)]);
    this.#tray.setToolTip(trayTooltip(this.#snapshot, status));
    const template = buildTrayMenuTemplate(this.#snapshot, {
      mode: this.#options.mode ?? 'app',
      status,
      startAtLogin,
      actions: this.#options.actions,
    });
    this.#tray.setContextMenu(Menu.buildFromTemplate(template));
  }
}
