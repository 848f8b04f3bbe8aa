import { mkdtempSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileConfigStore, loadOrCreateConfig } from '../../proxy/config/config-store.js';
import { ConfigError } from '../../proxy/config/config-validation.js';
import { ControlError } from '../../proxy/control/control-error.js';
import { Gateway } from '../../proxy/gateway.js';
import { FileStateStore } from '../../proxy/config/state-store.js';
import { startGateway, TEST_TOKEN } from '../support/gateway-harness.js';
import { startBackends } from '../support/test-backend.js';
import { stopAfterEach } from '../support/fixtures.js';

const t = stopAfterEach();


async function rejection(promise: Promise<unknown>): Promise<ControlError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ControlError);
    return error as ControlError;
  }
  throw new Error('expected the change to be rejected');
}

describe('config file', () => {
  it('creates a missing file with defaults and a fresh admin token', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sb-config-')), 'switchboard.json');
    const config = loadOrCreateConfig(new FileConfigStore(path));
    const stored = JSON.parse(readFileSync(path, 'utf8'));
    expect(stored).toEqual(config);
    expect(config.admin).toMatchObject({ host: '127.0.0.1', port: 9090 });
    expect(config.admin.token.length).toBeGreaterThanOrEqual(32);
    expect(config.listeners).toEqual([{ port: 8080, host: '0.0.0.0' }]);
  });

  it('refuses an invalid file, naming each field, and leaves it untouched', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'sb-config-'));
    const path = join(directory, 'switchboard.json');
    const text = JSON.stringify({
      admin: { token: 'short' },
      routes: [{ host: '*', path: 'no-slash', cluster: 'missing' }],
      clusters: [{ id: 'web', name: 'Web', servers: [{ id: 'a', name: 'A', url: 'ftp://x', capacity: 150 }, { id: 'a', name: 'B', url: 'http://b' }] }],
    });
    writeFileSync(path, text);
    const before = statSync(path).mtimeMs;
    const gateway = new Gateway({ configStore: new FileConfigStore(path), stateStore: new FileStateStore(directory, 'switchboard') });
    const error = await gateway.start().then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const messages = (error as ConfigError).issues.map((i) => `${i.path} ${i.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        'admin.token must be at least 24 characters (remove the field and Switchboard generates a strong one)',
        'routes[0].path must start with "/"',
        'clusters[0].servers[0].url must be an http:// or https:// URL such as http://10.0.0.5:8080',
        'clusters[0].servers[0].capacity must be 0–100',
        'clusters[0].servers[1].id is a duplicate server id "a"',
      ]),
    );
    expect(readFileSync(path, 'utf8')).toBe(text);
    expect(statSync(path).mtimeMs).toBe(before);
  });

  it('refuses a file that is not JSON, saying so', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sb-config-')), 'switchboard.json');
    writeFileSync(path, '{ "admin": ');
    expect(() => loadOrCreateConfig(new FileConfigStore(path))).toThrow(/is not valid JSON/);
    expect(readFileSync(path, 'utf8')).toBe('{ "admin": ');
  });

  it('generates ids from names when they are left out', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sb-config-')), 'switchboard.json');
    writeFileSync(path, JSON.stringify({
      admin: { token: TEST_TOKEN },
      clusters: [{ name: 'Intranet Portal', servers: [{ name: 'App 1.0', url: 'http://127.0.0.1:1' }, { name: 'App 1.0', url: 'http://127.0.0.1:2' }] }],
    }));
    const config = loadOrCreateConfig(new FileConfigStore(path));
    expect(config.clusters[0]!.id).toBe('intranet-portal');
    expect(config.clusters[0]!.servers.map((s) => s.id)).toEqual(['app-1-0', 'app-1-0-2']);
  });
});

describe('control API changes', () => {
  it('rejects an invalid change whole: clear issues, nothing applied, nothing written', async () => {
    t.backends = await startBackends('a');
    t.harness = await startGateway([{ id: 'web', name: 'Web', servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }] }]);
    const control = t.harness.control;
    const fileBefore = readFileSync(t.harness.configPath, 'utf8');
    const stateBefore = await control.getConfig();

    const badServer = await rejection(control.addServer('web', { name: 'B', url: 'not a url', capacity: 101 }));
    expect(badServer.code).toBe('invalid');
    expect(badServer.issues).toEqual(
      expect.arrayContaining([
        { path: 'url', message: 'must be an http:// or https:// URL such as http://10.0.0.5:8080' },
        { path: 'capacity', message: 'must be 0–100' },
      ]),
    );
    const badPatch = await rejection(control.updateServer('web', 'a', { capacity: 'lots' as unknown as number }));
    expect(badPatch.issues).toEqual([{ path: 'capacity', message: 'must be a whole number 0–100' }]);
    const forbidden = await rejection(control.updateServer('web', 'a', { id: 'x' } as never));
    expect(forbidden.issues[0]!.path).toBe('id');
    const badCluster = await rejection(control.updateCluster('web', { sessionTimeoutSec: 0, healthCheck: { type: 'udp' as never } }));
    expect(badCluster.issues.map((i) => i.path).sort()).toEqual(['healthCheck.type', 'sessionTimeoutSec']);
    const badRoute = await rejection(control.setRoutes([{ host: '*', path: '/', cluster: 'nope' }]));
    expect(badRoute.issues).toEqual([{ path: 'routes[0].cluster', message: 'names no cluster (there is no cluster "nope")' }]);
    const duplicate = await rejection(control.addServer('web', { id: 'a', name: 'Again', url: 'http://127.0.0.1:9' }));
    expect(duplicate.issues).toEqual([{ path: 'id', message: 'is a duplicate server id "a"' }]);

    const missing = await rejection(control.drainServer('web', 'zzz'));
    expect(missing.code).toBe('not-found');
    expect(await rejection(control.removeCluster('nope'))).toMatchObject({ code: 'not-found' });

    expect(readFileSync(t.harness.configPath, 'utf8')).toBe(fileBefore);
    expect(await control.getConfig()).toEqual(stateBefore);
    expect(t.harness.events.filter((e) => e.type === 'config')).toEqual([]);
  });

  it('adds a first cluster with a catch-all route, and removes a cluster with its routes', async () => {
    t.backends = await startBackends('a');
    t.harness = await startGateway([]);
    const control = t.harness.control;
    const cluster = await control.addCluster({ name: 'Intranet', servers: [{ name: 'App', url: t.backends[0]!.url }] });
    expect(cluster).toMatchObject({ id: 'intranet', sessionTimeoutSec: 1800, balancing: 'least-sessions', healthCheck: { type: 'tcp', intervalSec: 10 } });
    expect((await control.getConfig()).routes).toEqual([{ host: '*', path: '/', cluster: 'intranet' }]);
    const updated = await control.updateCluster('intranet', { sessionTimeoutSec: 600, healthCheck: { type: 'http', path: '/health' } });
    expect(updated.healthCheck).toMatchObject({ type: 'http', path: '/health', intervalSec: 10 });
    await control.removeCluster('intranet');
    const config = await control.getConfig();
    expect(config.clusters).toEqual([]);
    expect(config.routes).toEqual([]);
    expect(JSON.parse(readFileSync(t.harness.configPath, 'utf8')).clusters).toEqual([]);
  });
});
