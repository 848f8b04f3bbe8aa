/**
 * `npm run demo`: two versions of a sample app behind Switchboard, set up for trying a soft
 * rollout by hand. Everything it starts stops on Ctrl+C.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminTokenProblem } from '../proxy/config/admin-token.js';
import { FileConfigStore } from '../proxy/config/config-store.js';
import { generateAdminToken, isRecord, validateConfig } from '../proxy/config/config-validation.js';
import { consoleLogger } from '../proxy/logs/gateway-logger.js';
import { FileStateStore } from '../proxy/config/state-store.js';
import { startSwitchboard } from '../proxy/switchboard.js';
import { firstFreePort } from './free-port.js';
import { startSampleApp } from './sample-app.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEMO_DIR = join(REPO_ROOT, '.demo');
const CONFIG_PATH = join(DEMO_DIR, 'switchboard.json');
const HOST = '127.0.0.1';
/** Short, so that a drain visibly ends a minute after the last reload of the old window. */
const DEMO_SESSION_TIMEOUT_SEC = 60;

async function main(): Promise<void> {
  const oldApp = await startSampleApp({ name: 'App 1.0', colour: '#0f6cbd' });
  const newApp = await startSampleApp({ name: 'App 1.1', colour: '#107c10' });
  const gatewayPort = await firstFreePort(8080, HOST);
  const adminPort = await firstFreePort(9090, HOST, [gatewayPort]);

  mkdirSync(DEMO_DIR, { recursive: true });
  const configStore = new FileConfigStore(CONFIG_PATH);
  configStore.write(
    validateConfig({
      listeners: [{ port: gatewayPort, host: HOST }],
      admin: { host: HOST, port: adminPort, token: previousToken() ?? generateAdminToken() },
      routes: [{ host: '*', path: '/', cluster: 'web' }],
      clusters: [
        {
          id: 'web',
          name: 'Intranet',
          sessionTimeoutSec: DEMO_SESSION_TIMEOUT_SEC,
          healthCheck: { type: 'http', path: '/health', intervalSec: 2 },
          servers: [
            { id: 'v1', name: 'App 1.0', url: oldApp.url, capacity: 100 },
            { id: 'v2', name: 'App 1.1', url: newApp.url, capacity: 0 },
          ],
        },
      ],
    }),
  );

  const switchboard = await startSwitchboard({
    configStore,
    stateStore: new FileStateStore(DEMO_DIR, 'switchboard'),
    dashboardDir: join(REPO_ROOT, 'dist/renderer'),
    logger: consoleLogger,
  });

  const appUrl = `http://${HOST}:${gatewayPort}/`;
  const dashboardBuilt = existsSync(join(REPO_ROOT, 'dist/renderer/index.html'));
  console.log(`
──────────────────────────────────────────────────────────────────────────────
 Switchboard demo is running (config: ${CONFIG_PATH})

 Cluster "Intranet":  App 1.0 at ${oldApp.url} (capacity 100)
                      App 1.1 at ${newApp.url} (capacity 0)

 1. Open the app through Switchboard:   ${appUrl}
    Reload a few times: it stays on App 1.0 and your visit counter goes up.

 2. Open the web console:               ${switchboard.consoleUrl}${
   dashboardBuilt ? '' : '\n    (the dashboard is not built yet: run `npm run build:renderer`, then reload)'
 }

 3. Roll out: drag App 1.0's capacity to 0 and App 1.1's up to 100.

 4. Reload your first window: still App 1.0, and the counter keeps going (no one loses a session).
    Open a new private window at ${appUrl}: it lands on App 1.1.

 5. App 1.0 shows "draining" while your first window's session is live. Leave that window alone
    for ${DEMO_SESSION_TIMEOUT_SEC} s (the demo's session timeout) and App 1.0 becomes "drained": safe to stop.

 The same through the admin API:
    curl -H "Authorization: Bearer <token from the console URL>" http://${HOST}:${adminPort}/api/state

 Press Ctrl+C to stop everything.
──────────────────────────────────────────────────────────────────────────────
`);

  let stopping = false;
  const stop = async (): Promise<void> => {
    // conf's write-file helper re-raises each signal, so one Ctrl+C arrives twice.
    if (stopping) return;
    stopping = true;
    console.log('\nStopping the demo…');
    await switchboard.stop({ graceMs: 2000 });
    await Promise.all([oldApp.close(), newApp.close()]);
    console.log('Demo stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

/** Keeps the admin token of an earlier demo run, so a bookmarked console URL still works. */
function previousToken(): string | undefined {
  try {
    const previous: unknown = JSON.parse(readFileSync(CONFIG_PATH, 'utf8'));
    const token = isRecord(previous) && isRecord(previous.admin) ? previous.admin.token : undefined;
    return typeof token === 'string' && adminTokenProblem(token) === null ? token : undefined;
  } catch {
    return undefined;
  }
}

main().catch((error: unknown) => {
  console.error(`The demo could not start: ${(error as Error).message}`);
  process.exit(1);
});
