/**
 * Builds the web console once, when it has not been built yet, so that `npm run demo` and
 * `npm run headless` right after `npm ci` serve a dashboard. `npm run build:renderer` rebuilds it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

if (!existsSync(join(REPO_ROOT, 'dist/renderer/index.html'))) {
  console.log('Building the web console (once)…');
  const build = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
