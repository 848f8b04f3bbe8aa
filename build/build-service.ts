/**
 * Builds what the Windows service runs into `dist-service/` (packed by electron-builder as
 * `resources/service/`): headless mode compiled to one JavaScript file with its npm packages
 * inside (no TypeScript loader, no node_modules), the web console, the WinSW wrapper renamed to
 * `switchboard-gateway.exe` with its generated XML definition, and the node.exe that runs it.
 *
 *   npx tsx build/build-service.ts [--node-exe <path to a Windows node.exe>]
 *   npx tsx build/build-service.ts --headless-only    (npm run build:headless: Linux, macOS)
 *
 * On Windows the node.exe running this build is bundled; elsewhere one must be given.
 * `--headless-only` builds just headless.mjs and the web console, for a systemd unit or any other
 * service manager (docs/service.md).
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type BuildOptions } from 'esbuild';
import { winswServiceXml } from './winsw-service.js';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The wrapper's name: WinSW reads the XML with the same base name next to it. */
export const WRAPPER_NAME = 'switchboard-gateway';

/** Compiles headless mode into one ES module that plain `node` runs. */
export async function buildHeadlessBundle(outfile: string, logLevel: BuildOptions['logLevel'] = 'info'): Promise<void> {
  await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: ['proxy/headless.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // CommonJS packages inside an ES module bundle still call require() for Node's built-ins.
    banner: { js: "import { createRequire as __switchboardRequire } from 'node:module'; const require = __switchboardRequire(import.meta.url);" },
    logLevel,
  });
}

/** headless.mjs and the web console, which is all a service manager other than Windows' needs. */
export async function buildHeadlessFolder(outdir: string): Promise<void> {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await buildHeadlessBundle(join(outdir, 'headless.mjs'));
  const dashboard = join(REPO_ROOT, 'dist', 'renderer');
  if (!existsSync(join(dashboard, 'index.html'))) throw new Error('build the web console first: npm run build:renderer');
  cpSync(dashboard, join(outdir, 'dashboard'), { recursive: true });
}

export async function buildServiceFolder(outdir: string, nodeExe: string | null): Promise<void> {
  await buildHeadlessFolder(outdir);
  const winswDir = dirname(createRequire(import.meta.url).resolve('node-windows/bin/winsw/winsw.exe'));
  copyFileSync(join(winswDir, 'winsw.exe'), join(outdir, `${WRAPPER_NAME}.exe`));
  copyFileSync(join(winswDir, 'winsw.exe.config'), join(outdir, `${WRAPPER_NAME}.exe.config`));
  writeFileSync(join(outdir, `${WRAPPER_NAME}.xml`), winswServiceXml());
  if (nodeExe !== null) copyFileSync(nodeExe, join(outdir, 'node.exe'));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { 'node-exe': { type: 'string' }, 'headless-only': { type: 'boolean' } } });
  if (values['headless-only']) {
    await buildHeadlessFolder(join(REPO_ROOT, 'dist-service'));
    console.log('dist-service/ built: run it with node dist-service/headless.mjs --config <file> --dashboard dist-service/dashboard');
    process.exit(0);
  }
  const nodeExe = values['node-exe'] ?? (process.platform === 'win32' ? process.execPath : null);
  if (nodeExe === null) {
    console.error(
      'The Windows service needs a Windows node.exe, and this is not Windows.\n' +
        'Pass one with: npx tsx build/build-service.ts --node-exe <path to node.exe>',
    );
    process.exit(1);
  }
  await buildServiceFolder(join(REPO_ROOT, 'dist-service'), nodeExe);
  console.log(`dist-service/ built, with ${nodeExe} (Node ${values['node-exe'] ? 'as given' : process.version}) as the service's runtime.`);
}
