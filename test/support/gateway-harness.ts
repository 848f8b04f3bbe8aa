/**
 * Real gateways on loopback with their config and state in a temporary folder: a bare Gateway
 * (`startGateway`), or a whole Switchboard with its admin API and a JSON client for it (`startSwitchboardHarness`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileConfigStore } from '../../proxy/config/config-store.js';
import type { GatewayConfigInput } from '../../proxy/config/config-schema.js';
import type { ControlApi, GatewayEvent } from '../../proxy/control/control-api.js';
import { ControlService } from '../../proxy/control/control-service.js';
import { Gateway } from '../../proxy/gateway.js';
import { FileStateStore } from '../../proxy/config/state-store.js';
import { silentLogger } from '../../proxy/logs/gateway-logger.js';
import { startSwitchboard, type RunningSwitchboard } from '../../proxy/switchboard.js';
import { freePort } from '../../demo/free-port.js';

export const TEST_TOKEN = 'test-token-0123456789abcdef';

export interface Harness {
  gateway: Gateway;
  /** The control API over the gateway, as the composition root builds it; replaced on restart. */
  control: ControlApi;
  url: string;
  port: number;
  directory: string;
  configPath: string;
  events: GatewayEvent[];
  /** Starts another Gateway on the same files, as a restart would. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export type ClusterInputForTest = NonNullable<GatewayConfigInput['clusters']>[number];

/** A config file in a fresh temporary folder: one loopback listener and the admin API on free ports, everything routed to the first cluster. */
async function writeTestConfig(clusters: ClusterInputForTest[], extra: Partial<GatewayConfigInput>): Promise<{ directory: string; configPath: string; port: number; adminPort: number }> {
  const directory = mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  const configPath = join(directory, 'switchboard.json');
  const port = await freePort();
  const adminPort = await freePort();
  const config: GatewayConfigInput = {
    listeners: [{ port, host: '127.0.0.1' }],
    admin: { host: '127.0.0.1', port: adminPort, token: TEST_TOKEN },
    routes: clusters.length > 0 ? [{ host: '*', path: '/', cluster: clusters[0]!.id! }] : [],
    clusters,
    ...extra,
  };
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  return { directory, configPath, port, adminPort };
}

export async function startGateway(clusters: ClusterInputForTest[], extra: Partial<GatewayConfigInput> = {}): Promise<Harness> {
  const { directory, configPath, port } = await writeTestConfig(clusters, extra);
  const events: GatewayEvent[] = [];
  const harness: Harness = {
    gateway: null as unknown as Gateway,
    control: null as unknown as ControlApi,
    url: `http://127.0.0.1:${port}`,
    port,
    directory,
    configPath,
    events,
    async restart() {
      await harness.gateway.stop({ graceMs: 1000 });
      harness.gateway = await boot();
      harness.control = new ControlService(harness.gateway);
    },
    async stop() {
      await harness.gateway.stop({ graceMs: 500 });
      rmSync(directory, { recursive: true, force: true });
    },
  };
  async function boot(): Promise<Gateway> {
    const gateway = new Gateway({ configStore: new FileConfigStore(configPath), stateStore: new FileStateStore(directory, 'switchboard') });
    gateway.subscribe((event) => {
      if (event.type !== 'stats') events.push(event);
    });
    await gateway.start();
    return gateway;
  }
  harness.gateway = await boot();
  harness.control = new ControlService(harness.gateway);
  return harness;
}

export interface AdminResponse {
  status: number;
  // The tests read whatever the API answered.
  json: any;
}

export interface SwitchboardHarness {
  switchboard: RunningSwitchboard;
  /** `http://127.0.0.1:<listener port>` */
  url: string;
  configPath: string;
  /** A call to the admin API with the token, its JSON answer parsed. */
  api(method: string, path: string, body?: unknown): Promise<AdminResponse>;
  stop(): Promise<void>;
}

/** The gateway with its admin API, as headless mode and the service run it. */
export async function startSwitchboardHarness(clusters: ClusterInputForTest[], extra: Partial<GatewayConfigInput> = {}): Promise<SwitchboardHarness> {
  const { directory, configPath, port, adminPort } = await writeTestConfig(clusters, extra);
  const switchboard = await startSwitchboard({
    configStore: new FileConfigStore(configPath),
    stateStore: new FileStateStore(directory, 'switchboard'),
    logger: silentLogger,
  });
  const api = async (method: string, path: string, body?: unknown): Promise<AdminResponse> => {
    const response = await fetch(`http://127.0.0.1:${adminPort}${path}`, {
      method,
      headers: { Authorization: `Bearer ${TEST_TOKEN}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
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

/** Polls until `check` passes or `timeoutMs` runs out (then returns its last failure). */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
