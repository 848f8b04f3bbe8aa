/** "Start at login" from the tray: the login item is written through Electron and the checkbox follows it. */
import type { MenuItemConstructorOptions } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../proxy/logs/gateway-logger.js';
import { LOGIN_ITEM_NAME, START_HIDDEN_ARG, isStartAtLoginEnabled, setStartAtLogin } from '../../electron/start-at-login.js';
import { createTrayActions } from '../../electron/tray/tray-actions.js';
import { TrayController } from '../../electron/tray/tray-controller.js';
import { recorded, resetFakeElectron } from './fake-electron.js';
import { quietDependencies, snapshot } from './snapshot-fixtures.js';

vi.mock('electron', () => import('./fake-electron.js'));

beforeEach(() => resetFakeElectron());

function checkbox(): MenuItemConstructorOptions {
  const template = recorded.trays[0]!.menu!.template as MenuItemConstructorOptions[];
  return template.find((item) => item.id === 'start-at-login')!;
}

describe('start at login', () => {
  it('writes the login item with the start-hidden argument and reads it back', () => {
    expect(isStartAtLoginEnabled()).toBe(false);
    setStartAtLogin(true);
    expect(recorded.loginItemWrites).toEqual([{ openAtLogin: true, enabled: true, args: [START_HIDDEN_ARG], name: LOGIN_ITEM_NAME }]);
    expect(isStartAtLoginEnabled()).toBe(true);
    setStartAtLogin(false);
    expect(isStartAtLoginEnabled()).toBe(false);
  });

  it('toggles from the tray checkbox, and the checkbox shows the new state', async () => {
    let controller: TrayController | null = null;
    const actions = createTrayActions(
      quietDependencies({
        setStartAtLogin: (enabled) => {
          setStartAtLogin(enabled);
          void controller?.refresh();
        },
      }),
    );
    controller = new TrayController({
      icons: { good: {}, warning: {}, down: {} } as never,
      actions,
      status: () => ({ kind: 'running' }),
      fetchSnapshot: async () => snapshot([]),
      startAtLogin: isStartAtLoginEnabled,
      logger: silentLogger,
    });
    await controller.refresh();
    expect(checkbox().checked).toBe(false);

    (checkbox().click as () => void)();
    await vi.waitFor(() => expect(checkbox().checked).toBe(true));
    expect(recorded.loginItem).toEqual({ openAtLogin: true, args: [START_HIDDEN_ARG], name: LOGIN_ITEM_NAME });

    (checkbox().click as () => void)();
    await vi.waitFor(() => expect(checkbox().checked).toBe(false));
    expect(recorded.loginItem.openAtLogin).toBe(false);
  });
});
