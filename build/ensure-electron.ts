/**
 * The Electron binary for `npm start`, `npm run smoke` and `npm run dist`: npm skips its download
 * (package.json "allowScripts"), so it is fetched here the first time it is needed, by Electron's
 * own installer. Where that cannot reach GitHub (or ELECTRON_MIRROR), this says so and fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);

/** The Electron executable, or null when it has not been downloaded. */
export function installedElectron(): string | null {
  const electronDir = dirname(require.resolve('electron/package.json'));
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/** Downloads Electron when missing; returns its path, or null after explaining why it could not. */
export function ensureElectron(log: (line: string) => void = console.error): string | null {
  const existing = installedElectron();
  if (existing !== null) return existing;
  const electronDir = dirname(require.resolve('electron/package.json'));
  const version = (JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')) as { version: string }).version;
  log(`Downloading Electron ${version} (once)…`);
  // The skip switch would make Electron's installer do nothing at all.
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const result = spawnSync(process.execPath, [join(electronDir, 'install.js')], { env, encoding: 'utf8', timeout: 10 * 60_000 });
  const binary = installedElectron();
  if (result.status === 0 && binary !== null) return binary;
  const reason = `${result.stderr ?? ''}${result.error?.message ?? ''}`.trim().split('\n').find((line) => line.trim() !== '') ?? 'unknown error';
  log(
    [
      `Electron ${version} could not be downloaded: ${reason}`,
      '',
      'Its binary comes from GitHub (github.com/electron/electron/releases). Let this machine reach it,',
      'or point ELECTRON_MIRROR at a mirror of those releases and run again, or copy a',
      `downloaded electron-v${version}-<platform>-<arch>.zip into Electron's cache and run:`,
      '',
      '    node node_modules/electron/install.js',
      '',
      'The gateway alone runs without Electron: npm run headless.',
    ].join('\n'),
  );
  return null;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // `--for "npm run smoke"` names the command that cannot go on.
  const { values } = parseArgs({ options: { for: { type: 'string' } } });
  if (ensureElectron() === null) {
    if (values.for) console.error(`\n${values.for} needs the real Electron binary, so it cannot run on this machine.`);
    process.exit(1);
  }
}
