/**
 * Every native dialog the desktop app shows: the shell failing to start, the gateway failing to
 * start, damaged settings, a tray action that failed, and the question before an outage.
 */
import { dialog } from 'electron';
import type { ConfigRecovery } from './electron-config-store.js';
import type { OutageWarning } from './tray/tray-outage.js';

/** Only the shell itself gets here: gateway failures are shown in the tray instead. */
export function tellAboutCrashedStartup(error: unknown): void {
  dialog.showErrorBox('Switchboard could not start', error instanceof Error ? (error.stack ?? error.message) : String(error));
}

export function tellAboutFailedStart(message: string, logPath: string): void {
  void dialog.showMessageBox({
    type: 'error',
    title: 'Switchboard gateway is not running',
    message: 'The gateway could not start.',
    detail: `${message}\n\nSwitchboard stays in the notification area; fix the cause and restart it from there (Quit, then start it again). Details are in:\n${logPath}`,
    buttons: ['OK'],
  });
}

export function tellAboutRecovery(recovery: ConfigRecovery): void {
  const startedWith = recovery.startedWith === 'last-good' ? 'the last settings that worked' : 'default settings';
  void dialog.showMessageBox({
    type: 'warning',
    title: 'Switchboard settings were damaged',
    message: `Switchboard started with ${startedWith}.`,
    detail: `The settings file could not be used: ${recovery.reason}\n\nIt was kept as:\n${recovery.backupPath}`,
    buttons: ['OK'],
  });
}

export function tellAboutFailedAction(action: string, message: string): void {
  dialog.showErrorBox(`${action} failed`, message);
}

/** Resolves true when the admin chose to go ahead; Cancel is the default button. */
export async function askBeforeOutage(warning: OutageWarning): Promise<boolean> {
  const { response } = await dialog.showMessageBox({
    type: 'warning',
    title: warning.title,
    message: warning.message,
    detail: warning.detail,
    buttons: [warning.confirmLabel, 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
  });
  return response === 0;
}
