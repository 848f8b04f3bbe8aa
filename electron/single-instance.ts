/**
 * One Switchboard per user session: a second launch hands its command line to the first (to
 * focus the window, or to apply an installer option) and exits.
 */
import { app } from 'electron';

/** Returns false when another instance already runs; this one should quit then. */
export function claimSingleInstance(onSecondLaunch: (argv: string[]) => void): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', (_event, argv) => onSecondLaunch(argv));
  return true;
}
