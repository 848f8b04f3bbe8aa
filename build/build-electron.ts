/**
 * Bundles the Electron main process and the preload script into `dist-electron/electron/`
 * (package.json "main" is `dist-electron/electron/main.js`). npm packages stay external and are
 * packed by electron-builder; the preload is a self-contained CommonJS file because a sandboxed
 * preload can neither load ES modules nor require anything but a few Electron modules.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}/dist-electron/electron`;
const electronTarget = 'node22';

rmSync(`${root}/dist-electron`, { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: ['electron/main.ts'],
  outfile: `${outdir}/main.js`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: electronTarget,
  packages: 'external',
  sourcemap: true,
  logLevel: 'info',
});

await build({
  absWorkingDir: root,
  entryPoints: ['electron/preload.ts'],
  outfile: `${outdir}/preload.cjs`,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: electronTarget,
  external: ['electron'],
  sourcemap: true,
  logLevel: 'info',
});
