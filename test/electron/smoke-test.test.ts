/**
 * The `--smoke-test` logic with the electron module faked (the real binary cannot be downloaded
 * here): the whole main process runs it against its own gateway with throw-away settings, and
 * each failure names its reason. The real run is `npm run smoke` and the release workflow.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileConfigStore } from '../../proxy/config/config-store.js';
import { silentLogger } from '../../proxy/logs/gateway-logger.js';
import { FileStateStore } from '../../proxy/config/state-store.js';
import { startSwitchboard } from '../../proxy/switchboard.js';
import { GatewayRunner } from '../../electron/gateway/gateway-runner.js';
import { SERVICE_DIR_ENV, SERVICE_MARKER_FILE } from '../../electron/service/service-layout.js';
import {
  READ_RENDERED_TEXT,
  SMOKE_BACKEND_BODY,
  SMOKE_SERVER_NAME,
  prepareSmokeEnvironment,
  runSmokeTest,
  type SmokeEnvironment,
} from '../../electron/smoke-test.js';
import { emitAppEvent, recorded, resetFakeElectron } from './fake-electron.js';
import { launchMain } from './launch-main.js';
import { closeServer } from '../support/loopback-server.js';

vi.mock('electron', () => import('./fake-electron.js'));

const cleanups: (() => Promise<void> | void)[] = [];

beforeEach(() => {
  resetFakeElectron();
  rmSync(recorded.userData, { recursive: true, force: true });
  mkdirSync(recorded.userData, { recursive: true });
  vi.resetModules();
});

afterEach(async () => {
  if (recorded.trays.length > 0 && !recorded.appCalls.some((call) => call.startsWith('exit'))) {
    emitAppEvent('before-quit', { preventDefault: () => {} });
    await vi.waitFor(() => expect(recorded.appCalls.some((call) => call.startsWith('exit'))).toBe(true), { timeout: 15_000 });
  }
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  delete process.env[SERVICE_DIR_ENV];
  vi.restoreAllMocks();
});

async function runMain(argv: string[]): Promise<void> {
  await launchMain(argv);
  await vi.waitFor(() => expect(recorded.appCalls.some((call) => call.startsWith('exit'))).toBe(true), { timeout: 40_000 });
}

async function smokeRunner(environment: SmokeEnvironment): Promise<GatewayRunner> {
  const runner = new GatewayRunner({
    start: () =>
      startSwitchboard({
        configStore: new FileConfigStore(join(environment.directory, 'switchboard.json')),
        stateStore: new FileStateStore(environment.directory, 'switchboard'),
      }),
    logger: silentLogger,
  });
  cleanups.push(async () => {
    await runner.stop(0);
    if (environment.backend.listening) await environment.close();
    rmSync(environment.directory, { recursive: true, force: true });
  });
  return runner;
}

describe('smoke test in the main process', () => {
  it('passes with its own gateway and throw-away settings, in a window nobody sees, and exits 0', async () => {
    const logged: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void logged.push(line));
    recorded.evaluate = (code) => (code === READ_RENDERED_TEXT ? `Smoke test\n${SMOKE_SERVER_NAME}\nactive` : undefined);
    await runMain(['--smoke-test']);
    expect(recorded.appCalls).toContain('exit 0');
    expect(logged).toEqual(
      expect.arrayContaining([
        'smoke test: gateway: running in the app',
        expect.stringMatching(/^smoke test: admin API: http:\/\/127\.0\.0\.1:\d+ answered with 1 cluster\(s\)$/),
        expect.stringMatching(/^smoke test: listener: port \d+ answered 200$/),
        `smoke test: dashboard: rendered "${SMOKE_SERVER_NAME}" from the gateway`,
        'smoke test: passed',
      ]),
    );
    expect(recorded.windows).toHaveLength(1);
    expect(recorded.windows[0]!.visible).toBe(false);
    // The user's own settings are neither read nor created.
    expect(existsSync(join(recorded.userData, 'switchboard.json'))).toBe(false);
  }, 60_000);

  it('fails with the reason and exits 1 when the service it should attach to does not answer', async () => {
    const serviceDir = mkdtempSync(join(tmpdir(), 'switchboard-smoke-service-'));
    cleanups.push(() => rmSync(serviceDir, { recursive: true, force: true }));
    writeFileSync(join(serviceDir, SERVICE_MARKER_FILE), 'SwitchboardGateway');
    writeFileSync(join(serviceDir, 'switchboard.json'), JSON.stringify({ admin: { port: 9, token: 'smoke-service-token-0123456789' } }));
    process.env[SERVICE_DIR_ENV] = serviceDir;
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
    vi.spyOn(console, 'log').mockImplementation(() => {});
    await runMain(['--smoke-test']);
    expect(recorded.appCalls).toContain('exit 1');
    expect(errors).toEqual([expect.stringMatching(/^smoke test: FAILED: the gateway did not start: the gateway service at http:\/\/127\.0\.0\.1:9 cannot be reached/)]);
  }, 60_000);
});

describe('smoke test steps', () => {
  it('fails when the dashboard never shows the gateway’s data', async () => {
    const environment = await prepareSmokeEnvironment();
    const result = await runSmokeTest({
      connection: await smokeRunner(environment),
      openDashboard: () => ({ executeJavaScript: async () => 'Loading…' }),
      expectedBody: SMOKE_BACKEND_BODY,
      timeoutMs: 600,
      log: () => {},
    });
    expect(result).toEqual({ ok: false, reason: `the dashboard did not show "${SMOKE_SERVER_NAME}" in time; it showed: "Loading…"` });
  });

  it('fails when the listener does not serve the smoke backend', async () => {
    const environment = await prepareSmokeEnvironment();
    await closeServer(environment.backend);
    const result = await runSmokeTest({
      connection: await smokeRunner(environment),
      openDashboard: () => ({ executeJavaScript: async () => SMOKE_SERVER_NAME }),
      expectedBody: SMOKE_BACKEND_BODY,
      timeoutMs: 5_000,
      log: () => {},
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/^the listener on port \d+ answered 50\d /);
  });

  it('fails with the gateway’s own reason when it cannot start', async () => {
    const environment = await prepareSmokeEnvironment();
    writeFileSync(join(environment.directory, 'switchboard.json'), '{"listeners": [{"port": 0}], "admin": {"token": "short"}}');
    const result = await runSmokeTest({
      connection: await smokeRunner(environment),
      openDashboard: () => ({ executeJavaScript: async () => '' }),
      expectedBody: SMOKE_BACKEND_BODY,
      log: () => {},
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/^the gateway did not start: .*admin\.token/);
  });
});
