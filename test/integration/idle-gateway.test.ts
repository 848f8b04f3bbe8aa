import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { FileConfigStore } from '../../proxy/config/config-store.js';
import { FileStateStore } from '../../proxy/config/state-store.js';
import { Gateway } from '../../proxy/gateway.js';
import type { GatewayEvent } from '../../proxy/control/control-api.js';
import { freePort } from '../../demo/free-port.js';
import { eventually, TEST_TOKEN } from '../support/gateway-harness.js';

describe('an idle gateway', () => {
  it('builds no stats snapshot while nobody but its own event log listens, and sends one each second once someone does', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'switchboard-idle-'));
    const configPath = join(directory, 'switchboard.json');
    writeFileSync(configPath, JSON.stringify({
      listeners: [{ port: await freePort(), host: '127.0.0.1' }],
      admin: { host: '127.0.0.1', port: await freePort(), token: TEST_TOKEN },
      clusters: [{ id: 'web', name: 'Web', servers: [{ id: 'a', name: 'A', url: 'http://127.0.0.1:9' }] }],
      routes: [{ host: '*', path: '/', cluster: 'web' }],
    }));
    const gateway = new Gateway({ configStore: new FileConfigStore(configPath), stateStore: new FileStateStore(directory, 'switchboard') });
    const snapshot = vi.spyOn(gateway, 'snapshot');
    await gateway.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(snapshot).not.toHaveBeenCalled();
      const stats: GatewayEvent[] = [];
      gateway.subscribe((event) => {
        if (event.type === 'stats') stats.push(event);
      });
      await eventually(() => expect(stats.length).toBeGreaterThanOrEqual(1), 5000);
      expect(snapshot).toHaveBeenCalled();
    } finally {
      await gateway.stop({ graceMs: 100 });
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
