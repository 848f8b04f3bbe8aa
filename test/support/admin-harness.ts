/** A real Switchboard (gateway plus admin API) on loopback with a temporary config, and a JSON client for its admin API. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../demo/free-port.js';
import type { GatewayConfigInput } from '../../proxy/config/config-schema.js';
import { FileConfigStore } from '../../proxy/config/config-store.js';
import { silentLogger } from '../../proxy/logs/gateway-logger.js';
import { FileStateStore } from '../../proxy/config/state-store.js';
import { startSwitchboard, type RunningSwitchboard } from '../../proxy/switchboard.js';
import type { ClusterInputForTest } from './gateway-harness.js';

const TOKEN = 'admin-harness-token-0123456789';

export interface AdminResponse {
  status: number;
  // The tests read whatever the API answered.
  json: any;
}

export interface AdminHarness {
  switchboard: RunningSwitchboard;
  /** `http://127.0.0.1:<listener port>` */
  url: string;
  configPath: string;
  api(method: string, path: string, body?: unknown): Promise<AdminResponse>;
  stop(): Promise<void>;
}

export async function startAdminHarness(clusters: ClusterInputForTest[], extra: Partial<GatewayConfigInput> = {}): Promise<AdminHarness> {
  const directory = mkdtempSync(join(tmpdir(), 'switchboard-admin-harness-'));
  const configPath = join(directory, 'switchboard.json');
  const port = await freePort();
  const adminPort = await freePort();
  const config: GatewayConfigInput = {
    listeners: [{ port, host: '127.0.0.1' }],
    admin: { host: '127.0.0.1', port: adminPort, token: TOKEN },
    routes: clusters.length > 0 ? [{ host: '*', path: '/', cluster: clusters[0]!.id! }] : [],
    clusters,
    ...extra,
  };
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  const switchboard = await startSwitchboard({
    configStore: new FileConfigStore(configPath),
    stateStore: new FileStateStore(directory, 'switchboard'),
    logger: silentLogger,
  });
  const api = async (method: string, path: string, body?: unknown): Promise<AdminResponse> => {
    const response = await fetch(`http://127.0.0.1:${adminPort}${path}`, {
      method,
      headers: { Authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : undefined };
  };
  return {
    switchboard,
    url: `http://127.0.0.1:${port}`,
    configPath,
    api,
    async stop() {
      await switchboard.stop({ graceMs: 500 });
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
