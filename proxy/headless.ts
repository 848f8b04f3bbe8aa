/**
 * Headless mode: the gateway, admin API and web console without Electron.
 *
 *   npm run headless -- [--config switchboard.json] [--dashboard dist/renderer]
 */
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FileConfigStore, loadConfig } from './config/config-store.js';
import { ConfigError } from './config/config-validation.js';
import { consoleLogger } from './logs/gateway-logger.js';
import { PortInUseError } from './listeners/listen-error.js';
import { describePortOwner, findPortOwner } from './listeners/port-owner.js';
import { FileStateStore } from './config/state-store.js';
import { startSwitchboard, type RunningSwitchboard } from './switchboard.js';

const SHUTDOWN_GRACE_MS = 10_000;
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const USAGE = `Usage: npm run headless -- [--config <file>] [--dashboard <dir>]

  --config <file>     configuration file; created with defaults when missing (default: ./switchboard.json)
  --dashboard <dir>   built web console (default: ${resolve(REPO_ROOT, 'dist/renderer')})`;

interface HeadlessOptions {
  configPath: string;
  dashboardDir: string;
}

function parseOptions(argv: string[]): HeadlessOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      dashboard: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  return {
    configPath: resolve(values.config ?? 'switchboard.json'),
    dashboardDir: values.dashboard ? resolve(values.dashboard) : resolve(REPO_ROOT, 'dist/renderer'),
  };
}

async function main(): Promise<void> {
  let options: HeadlessOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(1);
  }

  const configStore = new FileConfigStore(options.configPath);
  try {
    // Validated here first so that a bad file is reported before anything binds a port.
    const loaded = loadConfig(configStore);
    if (loaded.created) console.log(`Created ${configStore.location} with default settings and a new admin token.`);
    else if (loaded.generatedToken) console.log(`${configStore.location} had no admin.token: a new one was generated and saved there.`);
  } catch (error) {
    reportStartupFailure(configStore.location, error);
    process.exit(1);
  }

  const stateStore = new FileStateStore(dirname(configStore.location), basename(configStore.location, '.json'));
  let running: RunningSwitchboard;
  try {
    running = await startSwitchboard({ configStore, stateStore, dashboardDir: options.dashboardDir, logger: consoleLogger });
  } catch (error) {
    const owner = error instanceof PortInUseError ? await findPortOwner(error.port) : null;
    reportStartupFailure(configStore.location, error, describePortOwner(owner));
    process.exit(1);
  }

  const closed = (await running.control.getState()).listeners.filter((listener) => !listener.listening);
  if (closed.length > 0) {
    // A gateway without its listener serves nobody: a service manager must see the failure and retry.
    for (const listener of closed) {
      const owner = describePortOwner(await findPortOwner(listener.port));
      console.error(`Switchboard cannot start: the listener ${listener.protocol}://${listener.host}:${listener.port} could not be opened: ${listener.error ?? 'unknown error'}${owner}`);
    }
    await running.stop({ graceMs: 0, reason: 'a listener could not be opened' });
    process.exit(1);
  }

  await printAddresses(running);
  stopOnSignals(running);
}

async function printAddresses(running: RunningSwitchboard): Promise<void> {
  const state = await running.control.getState();
  console.log('');
  for (const listener of state.listeners) console.log(`Gateway listening on ${listener.protocol}://${listener.host}:${listener.port}`);
  if (state.listeners.length === 0) console.log('The gateway has no listeners configured.');
  console.log(`Admin API on ${running.admin.url}/api/`);
  console.log(`Web console: ${running.consoleUrl}`);
  console.log('Press Ctrl+C to stop.\n');
}

function stopOnSignals(running: RunningSwitchboard): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    // A repeat is ignored, not taken as "force quit": conf's write-file helper (when-exit) re-raises
    // every signal it sees, so one Ctrl+C arrives twice. The stop is bounded by the grace time anyway.
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received: finishing requests in flight (up to ${SHUTDOWN_GRACE_MS / 1000} s) and saving sessions…`);
    running.stop({ graceMs: SHUTDOWN_GRACE_MS, reason: signal }).then(
      () => {
        console.log('Switchboard stopped.');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`Switchboard did not stop cleanly: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function reportStartupFailure(location: string, error: unknown, detail = ''): void {
  if (error instanceof ConfigError) {
    console.error(`Switchboard cannot start: the configuration ${location} is invalid (the file was left unchanged):`);
    for (const issue of error.issues) console.error(`  ${issue.path ? `${issue.path} ` : ''}${issue.message}`);
  } else {
    console.error(`Switchboard cannot start: ${(error as Error).message ?? String(error)}${detail}`);
  }
}

await main();
