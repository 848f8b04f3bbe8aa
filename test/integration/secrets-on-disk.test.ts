/**
 * Files holding secrets are readable by their owner only: the config (admin token), the cookie
 * secret, the saved sessions and the logs, checked with stat on the real files a running gateway
 * wrote, after start-up, after a change through the admin API and after a stop.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../demo/free-port.js';
import { FileConfigStore } from '../../proxy/config/config-store.js';
import { silentLogger } from '../../proxy/logs/gateway-logger.js';
import { FileStateStore } from '../../proxy/config/state-store.js';
import { startSwitchboard, type RunningSwitchboard } from '../../proxy/switchboard.js';
import { TEST_TOKEN } from '../support/gateway-harness.js';
import { startBackends, stopBackends, type TestBackend } from '../support/test-backend.js';

let directory: string | undefined;
let running: RunningSwitchboard | undefined;
let backends: TestBackend[] = [];

afterEach(async () => {
  await running?.stop({ graceMs: 0 });
  await stopBackends(backends);
  if (directory) rmSync(directory, { recursive: true, force: true });
  running = undefined;
  directory = undefined;
  backends = [];
});

const modeOf = (path: string): number => statSync(path).mode & 0o777;

async function start(): Promise<{ configPath: string; adminPort: number; gatewayPort: number }> {
  directory = mkdtempSync(join(tmpdir(), 'switchboard-secrets-'));
  backends = await startBackends('a');
  const configPath = join(directory, 'switchboard.json');
  const gatewayPort = await freePort();
  const adminPort = await freePort();
  writeFileSync(
    configPath,
    JSON.stringify({
      listeners: [{ port: gatewayPort, host: '127.0.0.1' }],
      admin: { host: '127.0.0.1', port: adminPort, token: TEST_TOKEN },
      routes: [{ host: '*', path: '/', cluster: 'web' }],
      clusters: [{ id: 'web', name: 'Web', servers: [{ id: 'a', name: 'A', url: backends[0]!.url }] }],
    }),
    { mode: 0o644 },
  );
  chmodSync(configPath, 0o644);
  running = await startSwitchboard({
    configStore: new FileConfigStore(configPath),
    stateStore: new FileStateStore(directory, 'switchboard'),
    logger: silentLogger,
  });
  return { configPath, adminPort, gatewayPort };
}

function request(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

describe.skipIf(process.platform === 'win32')('secrets on disk (POSIX modes)', () => {
  it('tightens a config file readable by others at start-up and says so in the event log', async () => {
    const { configPath } = await start();
    expect(modeOf(configPath)).toBe(0o600);
    expect(modeOf(join(directory!, 'switchboard.secret'))).toBe(0o600);
    await running!.gateway.eventLog.flush();
    const logs = join(directory!, 'logs');
    expect(modeOf(logs)).toBe(0o700);
    const [eventLogName] = readdirSync(logs).filter((name) => name.startsWith('switchboard-events_'));
    expect(modeOf(join(logs, eventLogName!))).toBe(0o600);
    const eventLog = readFileSync(join(logs, eventLogName!), 'utf8');
    expect(eventLog).toMatch(/WARN {2}Made 1 file readable by their owner only \(they were readable by other users\) files=\S*switchboard\.json/);
  });

  it('keeps the config owner-only after a change through the admin API, and writes logs and sessions owner-only', async () => {
    const { configPath, adminPort, gatewayPort } = await start();
    const response = await fetch(`http://127.0.0.1:${adminPort}/api/settings`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${TEST_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ logs: { accessLog: { enabled: true } } }),
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(readFileSync(configPath, 'utf8')).logs.accessLog.enabled).toBe(true);
    expect(modeOf(configPath)).toBe(0o600);

    expect(await request(gatewayPort)).toBe(200);
    await running!.stop({ graceMs: 0 });
    running = undefined;
    const logs = join(directory!, 'logs');
    const names = readdirSync(logs);
    expect(names.some((name) => /^switchboard_\d{8}\.log$/.test(name))).toBe(true);
    for (const name of names) expect([name, modeOf(join(logs, name))]).toEqual([name, 0o600]);
    expect(modeOf(join(directory!, 'switchboard.sessions'))).toBe(0o600);
  });

  it('tightens an existing secret and old log files at start-up', async () => {
    directory = mkdtempSync(join(tmpdir(), 'switchboard-secrets-'));
    const logs = join(directory, 'logs');
    mkdirSync(logs);
    const secretPath = join(directory, 'switchboard.secret');
    const oldLog = join(logs, 'switchboard_20250101.log');
    const unrelated = join(logs, 'notes.txt');
    for (const [path, text] of [[secretPath, 'ab'.repeat(32)], [oldLog, '#Fields: date\n'], [unrelated, 'not ours']] as const) {
      writeFileSync(path, text);
      chmodSync(path, 0o644);
    }
    const configPath = join(directory, 'switchboard.json');
    writeFileSync(configPath, JSON.stringify({ listeners: [], admin: { port: await freePort(), token: TEST_TOKEN } }));
    chmodSync(configPath, 0o600);
    running = await startSwitchboard({
      configStore: new FileConfigStore(configPath),
      stateStore: new FileStateStore(directory, 'switchboard'),
      logger: silentLogger,
    });
    expect(modeOf(secretPath)).toBe(0o600);
    expect(readFileSync(secretPath, 'utf8')).toBe('ab'.repeat(32));
    expect(modeOf(oldLog)).toBe(0o600);
    expect(modeOf(unrelated)).toBe(0o644);
    await running.gateway.eventLog.flush();
    const eventLog = readdirSync(logs).find((name) => name.startsWith('switchboard-events_'))!;
    const text = readFileSync(join(logs, eventLog), 'utf8');
    expect(text).toContain('switchboard_20250101.log');
    expect(text).toContain('switchboard.secret');
  });
});
