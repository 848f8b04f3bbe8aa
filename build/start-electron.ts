/**
 * `npm start`: runs the built app with the Electron binary, downloading it first when npm
 * skipped it (see build/ensure-electron.ts). Arguments after `--` go to the app.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureElectron } from './ensure-electron.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const binary = ensureElectron();
if (binary === null) process.exit(1);

const child = spawn(binary, ['.', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
