/**
 * `npm start`: runs the built app with the Electron binary, or explains how to get the binary
 * when it was not downloaded (it is skipped on machines without internet access).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));
const pathFile = join(electronDir, 'path.txt');
const binary = existsSync(pathFile) ? join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()) : null;

if (binary === null || !existsSync(binary)) {
  console.error(
    [
      'The Electron binary is not installed (npm skipped its download).',
      'Download it with:',
      '',
      '    node node_modules/electron/install.js',
      '',
      'then run `npm start` again. The gateway alone runs without Electron: `npm run headless`.',
    ].join('\n'),
  );
  process.exit(1);
}

const child = spawn(binary, ['.', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
