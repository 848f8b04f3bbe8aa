/**
 * `npm run smoke`: starts the built app under the real Electron binary with `--smoke-test`
 * (electron/smoke-test.ts) and exits with its result. `--app <Switchboard.exe>` runs a packaged
 * app instead, as the release workflow does. Without an Electron binary it says so and fails.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureElectron } from './ensure-electron.js';

const TIMEOUT_MS = 120_000;
const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { app: { type: 'string' } } });

let command: string;
let args: string[];
if (values.app !== undefined) {
  command = values.app;
  args = ['--smoke-test'];
} else {
  const electron = ensureElectron();
  if (electron === null) {
    console.error('\nThe smoke test needs the real Electron binary, so it cannot run on this machine.');
    process.exit(1);
  }
  command = electron;
  args = ['.', '--smoke-test'];
}

console.log(`Running ${command} ${args.join(' ')}`);
const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
const timer = setTimeout(() => {
  console.error(`smoke test: FAILED: no result within ${TIMEOUT_MS / 1000} s`);
  child.kill();
  process.exit(1);
}, TIMEOUT_MS);
child.on('error', (error) => {
  console.error(`smoke test: FAILED: could not start ${command}: ${error.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  clearTimeout(timer);
  process.exit(signal ? 1 : (code ?? 1));
});
