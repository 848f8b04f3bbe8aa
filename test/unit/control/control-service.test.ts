/**
 * The control service on its own, over a fake gateway that only keeps a configuration and
 * records what is written and applied: a change is validated whole and an invalid one leaves
 * everything as it was, unknown ids are `not-found`, and every failure has the one error shape.
 */
import { describe, expect, it } from 'vitest';
import type { GatewayConfig } from '../../../proxy/config/config-schema.js';
import { ConfigError, validateConfig } from '../../../proxy/config/config-validation.js';
import type { ChangeSource } from '../../../proxy/control/control-api.js';
import { ControlError, controlErrorOf, failureOf, httpBodyOf, httpStatusOf } from '../../../proxy/control/control-error.js';
import { ControlService } from '../../../proxy/control/control-service.js';
import type { PreparedConfig } from '../../../proxy/listeners/listener-tls.js';

type GatewayOfService = ConstructorParameters<typeof ControlService>[0];

/** Just what the control service reads and calls when it changes the configuration. */
class FakeGateway {
  config: GatewayConfig;
  readonly written: GatewayConfig[] = [];
  readonly applied: { source: ChangeSource | undefined; summary: string | undefined }[] = [];
  readonly pauses: { paused: boolean; source: ChangeSource }[] = [];
  /** Set to make `prepare` fail as a certificate that cannot be read would. */
  refusePrepare: ConfigError | null = null;
  readonly configStore = { write: (config: GatewayConfig) => void this.written.push(structuredClone(config)) };
  readonly logger = { info: () => undefined };

  constructor() {
    this.config = validateConfig({
      admin: { token: 'a-token-long-enough-for-the-schema-0123' },
      routes: [{ host: '*', path: '/', cluster: 'web' }],
      clusters: [
        {
          id: 'web',
          name: 'Intranet',
          servers: [
            { id: 'v1', name: 'App 1.0', url: 'http://127.0.0.1:3001', capacity: 60 },
            { id: 'v2', name: 'App 1.1', url: 'http://127.0.0.1:3002', capacity: 40 },
          ],
        },
      ],
    });
  }

  currentConfig(): GatewayConfig {
    return this.config;
  }

  prepare(config: GatewayConfig): PreparedConfig {
    if (this.refusePrepare) throw this.refusePrepare;
    return { config, listenerTls: config.listeners.map(() => null) };
  }

  applyConfig(prepared: PreparedConfig, source?: ChangeSource, summary?: string): void {
    this.config = prepared.config;
    this.applied.push({ source, summary });
  }

  async setPaused(paused: boolean, source: ChangeSource): Promise<void> {
    this.pauses.push({ paused, source });
  }
}

function serviceOver(gateway: FakeGateway): ControlService {
  return new ControlService(gateway as unknown as GatewayOfService);
}

async function failureFrom(promise: Promise<unknown>): Promise<ControlError> {
  const error = await promise.then(
    () => expect.unreachable('the call should have failed'),
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(ControlError);
  return error as ControlError;
}

describe('control service: changes', () => {
  it('validates a change whole, then writes and applies it once, recorded as its caller’s', async () => {
    const gateway = new FakeGateway();
    const server = await serviceOver(gateway).as('tray').drainServer('web', 'v1');
    expect(server).toMatchObject({ id: 'v1', capacity: 0, drainedFromCapacity: 60 });
    expect(gateway.written).toHaveLength(1);
    expect(gateway.written[0]!.clusters[0]!.servers[0]!.capacity).toBe(0);
    expect(gateway.applied).toEqual([{ source: 'tray', summary: 'server "v1" of "web" set to drain' }]);
  });

  it('records unbound changes as the API’s, and binding does not change the unbound service', async () => {
    const gateway = new FakeGateway();
    const service = serviceOver(gateway);
    await service.as('dashboard').setPaused(true);
    await service.setPaused(false);
    expect(gateway.pauses).toEqual([
      { paused: true, source: 'dashboard' },
      { paused: false, source: 'api' },
    ]);
  });

  it('leaves the configuration untouched when one field of a change is invalid', async () => {
    const gateway = new FakeGateway();
    const before = structuredClone(gateway.config);
    const service = serviceOver(gateway);

    const capacity = await failureFrom(service.updateServer('web', 'v1', { capacity: 150, name: 'Renamed' }));
    expect(capacity.code).toBe('invalid');
    // Paths are relative to the server changed, as the dashboard's form names its fields.
    expect(capacity.issues).toEqual([{ path: 'capacity', message: 'must be 0–100' }]);

    // A new cluster with one bad server: nothing of it is added, the valid parts neither.
    const cluster = await failureFrom(
      service.addCluster({ name: 'Second', servers: [{ name: 'ok', url: 'http://127.0.0.1:4001' }, { name: 'bad', url: 'ftp://x' }] }),
    );
    expect(cluster.issues.map((issue) => issue.path)).toEqual(['servers[1].url']);

    expect(gateway.config).toEqual(before);
    expect(gateway.written).toEqual([]);
    expect(gateway.applied).toEqual([]);
  });

  it('writes nothing when the configuration is valid but cannot be used (a certificate that cannot be read)', async () => {
    const gateway = new FakeGateway();
    const before = structuredClone(gateway.config);
    gateway.refusePrepare = new ConfigError([{ path: 'listeners[0].tls.pfxPath', message: 'cannot be read' }]);
    const error = await failureFrom(serviceOver(gateway).updateSettings({ trustedProxies: ['10.0.0.0/8'] }));
    expect(error).toMatchObject({ code: 'invalid', issues: [{ path: 'listeners[0].tls.pfxPath', message: 'cannot be read' }] });
    expect(gateway.config).toEqual(before);
    expect(gateway.written).toEqual([]);
  });

  it('refuses fields a patch may not change, naming the ones it may', async () => {
    const gateway = new FakeGateway();
    const patch = { capacity: 10, weight: 3 } as unknown as { capacity: number };
    const error = await failureFrom(serviceOver(gateway).updateServer('web', 'v1', patch));
    expect(error.issues).toEqual([{ path: 'weight', message: 'cannot be changed here (allowed: capacity, enabled, name, url, tlsFingerprint)' }]);
    expect(gateway.written).toEqual([]);
  });
});

describe('control service: not found', () => {
  it('says which cluster or server does not exist, without field issues, and changes nothing', async () => {
    const gateway = new FakeGateway();
    const service = serviceOver(gateway);
    const cases: [Promise<unknown>, string][] = [
      [service.updateCluster('nope', { name: 'x' }), 'There is no cluster "nope"'],
      [service.removeCluster('nope'), 'There is no cluster "nope"'],
      [service.addServer('nope', { name: 'x', url: 'http://127.0.0.1:1' }), 'There is no cluster "nope"'],
      [service.drainServer('web', 'nope'), 'There is no server "nope" in cluster "web"'],
      [service.removeServer('web', 'nope'), 'There is no server "nope" in cluster "web"'],
      [service.updateServer('web', 'nope', { capacity: 5 }), 'There is no server "nope" in cluster "web"'],
    ];
    for (const [call, message] of cases) {
      expect(await failureFrom(call)).toMatchObject({ code: 'not-found', message, issues: [] });
    }
    expect(gateway.written).toEqual([]);
  });
});

describe('the one error shape', () => {
  it('is {code, message, issues} as a plain object, and survives a trip through JSON', async () => {
    const error = await failureFrom(serviceOver(new FakeGateway()).updateServer('web', 'v1', { capacity: -1 }));
    const failure = failureOf(error);
    expect(Object.keys(failure).sort()).toEqual(['code', 'issues', 'message']);
    const revived = controlErrorOf(JSON.parse(JSON.stringify(failure)));
    expect(revived).toBeInstanceOf(ControlError);
    expect(failureOf(revived)).toEqual(failure);
  });

  it('is a ConfigError too: an invalid configuration file is `invalid` with its issues', () => {
    const error = controlErrorOf(new ConfigError([{ path: 'listeners[0].port', message: 'must be 1–65535' }]));
    expect(error).toMatchObject({ code: 'invalid', message: 'listeners[0].port must be 1–65535' });
  });

  it('makes any other thrown value `internal` with its own text', () => {
    expect(failureOf(new Error('disk full'))).toEqual({ code: 'internal', message: 'disk full', issues: [] });
    expect(failureOf('just text')).toEqual({ code: 'internal', message: 'just text', issues: [] });
  });

  it('maps to the admin API’s documented statuses and bodies', () => {
    expect(httpStatusOf('invalid')).toBe(400);
    expect(httpStatusOf('not-found')).toBe(404);
    expect(httpBodyOf({ code: 'invalid', message: 'capacity must be 0–100', issues: [{ path: 'capacity', message: 'must be 0–100' }] })).toEqual({
      error: 'capacity must be 0–100',
      issues: [{ path: 'capacity', message: 'must be 0–100' }],
    });
    expect(httpBodyOf({ code: 'not-found', message: 'There is no cluster "x"', issues: [] })).toEqual({ error: 'There is no cluster "x"' });
  });
});
