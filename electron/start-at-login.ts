/**
 * "Start at login" is the user's Windows Run entry for Switchboard, written by Electron. The
 * installer's "start when I sign in" option launches the app with ENABLE_START_AT_LOGIN_ARG as
 * the signed-in user, so both paths write the same entry and the tray checkbox always tells the
 * truth.
 */
import { app } from 'electron';

/** Launched at login: stay in the tray, do not pop the window up. */
export const START_HIDDEN_ARG = '--start-hidden';
export const ENABLE_START_AT_LOGIN_ARG = '--enable-start-at-login';
/** Name of the Run registry value; the installer's uninstaller removes the same one. */
export const LOGIN_ITEM_NAME = 'Switchboard';

export function isStartAtLoginEnabled(): boolean {
  const settings = app.getLoginItemSettings({ args: [START_HIDDEN_ARG] });
  // On Windows, an entry switched off in Task Manager does not count.
  return settings.executableWillLaunchAtLogin === true || (process.platform !== 'win32' && settings.openAtLogin);
}

export function setStartAtLogin(enabled: boolean): void {
  app.setLoginItemSettings({ openAtLogin: enabled, enabled, args: [START_HIDDEN_ARG], name: LOGIN_ITEM_NAME });
}
