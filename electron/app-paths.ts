/**
 * Where the desktop app finds its parts. `app.getAppPath()` is the repository when run with
 * `electron .` and the packed app.asar when installed; both hold `dist/renderer` and
 * `dist-electron`.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app } from 'electron';

export interface AppPaths {
  dashboardDir: string;
  /** file:// URL of the dashboard folder, ending in "/". */
  dashboardDirUrl: string;
  indexHtml: string;
  /** file:// URL of index.html: the only page allowed to call the gateway over IPC. */
  indexHtmlUrl: string;
  preload: string;
  userData: string;
  logs: string;
}

export function appPaths(): AppPaths {
  const dashboardDir = join(app.getAppPath(), 'dist', 'renderer');
  return {
    dashboardDir,
    dashboardDirUrl: pathToFileURL(`${dashboardDir}/`).href,
    indexHtml: join(dashboardDir, 'index.html'),
    indexHtmlUrl: pathToFileURL(join(dashboardDir, 'index.html')).href,
    // The preload is built next to main.js (see build/build-electron.ts).
    preload: join(dirname(fileURLToPath(import.meta.url)), 'preload.cjs'),
    userData: app.getPath('userData'),
    logs: app.getPath('logs'),
  };
}
