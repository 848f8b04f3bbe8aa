/**
 * Bundles the Electron main process and the preload script into `dist-electron/electron/`
 * (package.json "main" is `dist-electron/electron/main.js`). npm packages stay external and are
 * packed by electron-builder; the preload is a self-contained CommonJS file because a sandboxed
 * preload can neither load ES modules nor require anything but a few Electron modules.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Electron 41 runs Node 24; esbuild needs only to know it may emit modern syntax. */
const ELECTRON_NODE_TARGET = 'node22';

export async function buildElectronBundles(outdir: string, logLevel: BuildOptions['logLevel'] = 'info'): Promise<void> {
  const common: BuildOptions = {
    absWorkingDir: REPO_ROOT,
    bundle: true,
    platform: 'node',
    target: ELECTRON_NODE_TARGET,
    sourcemap: true,
    logLevel,
  };
  await build({ ...common, entryPoints: ['electron/main.ts'], outfile: join(outdir, 'main.js'), format: 'esm', packages: 'external' });
  await build({ ...common, entryPoints: ['electron/preload.ts'], outfile: join(outdir, 'preload.cjs'), format: 'cjs', external: ['electron'] });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  rmSync(join(REPO_ROOT, 'dist-electron'), { recursive: true, force: true });
  await buildElectronBundles(join(REPO_ROOT, 'dist-electron', 'electron'));
}
