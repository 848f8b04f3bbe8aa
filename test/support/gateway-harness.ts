/** Starts a real Gateway on loopback with its config and state in a temporary folder. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileConfigStore } from '../../proxy/config/config-store.js';
import type { GatewayConfigInput } from '../../proxy/config/config-schema.js';
import type { ControlApi, GatewayEvent } from '../../proxy/control/control-api.js';
import { ControlService } from '../../proxy/control/control-service.js';
import { Gateway } from '../../proxy/gateway.js';
import { FileStateStore } from '../../proxy/config/state-store.js';
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

export async function startGateway(clusters: ClusterInputForTest[], extra: Partial<GatewayConfigInput> = {}): Promise<Harness> {
  const directory = mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  const configPath = join(directory, 'switchboard.json');
  const port = await freePort();
  const config: GatewayConfigInput = {
    listeners: [{ port, host: '127.0.0.1' }],
    admin: { host: '127.0.0.1', port: await freePort(), token: TEST_TOKEN },
    routes: clusters.length > 0 ? [{ host: '*', path: '/', cluster: clusters[0]!.id! }] : [],
    clusters,
    ...extra,
  };
  writeFileSync(configPath, JSON.stringify(config, null, 2));
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
