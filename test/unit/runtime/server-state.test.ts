import { describe, expect, it } from 'vitest';
import { clusterSchema, configSchema, type ClusterConfig } from '../../../proxy/config/config-schema.js';
import type { GatewayEvent, ServerState } from '../../../proxy/control/control-api.js';
import { ServerHealthUpdates } from '../../../proxy/health/server-health-updates.js';
import { ClusterRuntime, type ServerRuntime } from '../../../proxy/runtime/cluster-runtime.js';
import { buildSnapshot } from '../../../proxy/runtime/snapshot.js';
import { SessionTable } from '../../../proxy/sessions/session-table.js';
import { TEST_TOKEN } from '../../support/gateway-harness.js';

type Change = { server: string; from: ServerState | null; to: ServerState };

function clusterConfig(servers: { id: string; capacity?: number; enabled?: boolean; drainedFromCapacity?: number }[], extra: Record<string, unknown> = {}): ClusterConfig {
  return clusterSchema.parse({
    id: 'web',
    name: 'Web',
    healthCheck: { unhealthyAfter: 2, healthyAfter: 2 },
    servers: servers.map((s) => ({ name: s.id.toUpperCase(), url: 'http://127.0.0.1:9', ...s })),
    ...extra,
  });
}

/** A cluster runtime as the gateway keeps one, with its state changes recorded and sessions counted by a real table. */
function runtimeOf(config: ClusterConfig): { cluster: ClusterRuntime; changes: Change[]; sessions: SessionTable; server(id: string): ServerRuntime } {
  const changes: Change[] = [];
  const sessions = new SessionTable(Date.now(), (clusterId, serverId, occupied) => {
    const server = cluster.servers.get(serverId);
    if (!server) return;
    server.hasSessions = occupied;
    server.refreshState();
  });
  sessions.setPolicy('web', { idleMs: 60_000, maxLifetimeMs: null });
  const cluster = new ClusterRuntime(config, (server, from, to) => changes.push({ server: server.id, from, to }), (c, s) => sessions.countOf(c, s));
  cluster.update(config, Date.now());
  for (const server of cluster.servers.values()) server.refreshState();
  return { cluster, changes, sessions, server: (id) => cluster.servers.get(id)! };
}

function snapshotOf(cluster: ClusterRuntime, sessions: SessionTable) {
  const config = configSchema.parse({ admin: { token: TEST_TOKEN }, clusters: [cluster.config] });
  return buildSnapshot({ now: Date.now(), startedAt: 0, paused: false, config, clusters: new Map([[cluster.id, cluster]]), sessions, listeners: [] }).clusters[0]!.servers;
}

describe('server state', () => {
  it('is active with capacity, disabled when switched off whatever else holds, and reports each change once', () => {
    const { server, changes, sessions, cluster } = runtimeOf(clusterConfig([{ id: 'a' }, { id: 'b', enabled: false }]));
    expect(server('a').state).toBe('active');
    expect(server('b').state).toBe('disabled');
    expect(changes).toEqual([
      { server: 'a', from: null, to: 'active' },
      { server: 'b', from: null, to: 'disabled' },
    ]);
    sessions.create('web', 'b', 'k1', '10.0.0.1', Date.now());
    expect(server('b').state).toBe('disabled');
    server('a').refreshState();
    expect(changes).toHaveLength(2);
    cluster.update(clusterConfig([{ id: 'a', enabled: false }, { id: 'b' }]), Date.now());
    server('a').refreshState();
    server('b').refreshState();
    expect(changes.slice(2)).toEqual([
      { server: 'a', from: 'active', to: 'disabled' },
      { server: 'b', from: 'disabled', to: 'active' },
    ]);
  });

  it('drains while anything still holds the server (a session, a request, a WebSocket, a pin, a tentative session) and is drained when nothing does', () => {
    const { server, cluster, sessions, changes } = runtimeOf(clusterConfig([{ id: 'a' }]));
    const session = sessions.create('web', 'a', 'k1', '10.0.0.1', Date.now());
    cluster.update(clusterConfig([{ id: 'a', capacity: 0 }]), Date.now());
    const a = server('a');
    a.refreshState();
    expect(a.state).toBe('draining');
    sessions.remove(session);
    expect(a.state).toBe('drained');
    expect(a.drainedAt).not.toBeNull();

    for (const hold of ['inflight', 'websockets', 'pinned'] as const) {
      a.stats[hold] = 1;
      a.refreshState();
      expect(a.state, hold).toBe('draining');
      a.stats[hold] = 0;
      a.refreshState();
      expect(a.state, hold).toBe('drained');
    }
    a.tentative.add(Date.now());
    a.refreshState();
    expect(a.state).toBe('draining');
    expect(changes.filter((c) => c.to === 'drained')).toHaveLength(4);
  });

  it('goes offline after unhealthyAfter failures and comes back after healthyAfter successes, with one event each way', () => {
    const events: GatewayEvent[] = [];
    const updates = new ServerHealthUpdates((event) => events.push(event));
    const { server } = runtimeOf(clusterConfig([{ id: 'a' }]));
    const a = server('a');
    updates.checked(a, { ok: false, reason: 'refused' }, 1234);
    expect(a.health.lastCheckAt).toBe(1234);
    expect(a.state).toBe('active');
    updates.failed(a, 'the connection broke off');
    expect(a.state).toBe('offline');
    updates.failed(a, 'still down');
    expect(events.map((e) => e.type)).toEqual(['offline']);
    expect(events[0]).toMatchObject({ clusterId: 'web', serverId: 'a', serverName: 'A', reason: 'the connection broke off' });
    updates.checked(a, { ok: true });
    expect(a.state).toBe('offline');
    updates.succeeded(a);
    expect(a.state).toBe('active');
    expect(events.map((e) => e.type)).toEqual(['offline', 'online']);
  });

  it('is offline rather than draining when a draining server stops answering', () => {
    const { server, cluster, sessions } = runtimeOf(clusterConfig([{ id: 'a' }]));
    sessions.create('web', 'a', 'k1', '10.0.0.1', Date.now());
    cluster.update(clusterConfig([{ id: 'a', capacity: 0 }]), Date.now());
    const a = server('a');
    a.refreshState();
    expect(a.state).toBe('draining');
    const updates = new ServerHealthUpdates(() => {});
    updates.failed(a, 'down');
    updates.failed(a, 'down');
    expect(a.state).toBe('offline');
    // Its sessions wait for it: they stay with a server that is enabled and online only.
    expect(a.keepsSessions).toBe(false);
  });

  it('tells a standby server (at 0 from the start) from one whose drain finished (safe to stop)', () => {
    const { cluster, sessions, server } = runtimeOf(clusterConfig([{ id: 'standby', capacity: 0 }, { id: 'remembered', capacity: 0, drainedFromCapacity: 50 }, { id: 'live' }]));
    sessions.create('web', 'live', 'k1', '10.0.0.1', Date.now());
    let servers = snapshotOf(cluster, sessions);
    expect(servers.map((s) => [s.id, s.state, s.standby, s.safeToStop])).toEqual([
      ['standby', 'drained', true, false],
      ['remembered', 'drained', false, true],
      ['live', 'active', false, false],
    ]);
    expect(servers[0]!.drainedAt).toBeNull();

    // A drain seen to finish in this run is safe to stop even without the remembered capacity.
    cluster.update(clusterConfig([{ id: 'standby', capacity: 0 }, { id: 'remembered', capacity: 0, drainedFromCapacity: 50 }, { id: 'live', capacity: 0 }]), Date.now());
    server('live').refreshState();
    expect(snapshotOf(cluster, sessions)[2]).toMatchObject({ state: 'draining', safeToStop: false, standby: false, sessions: 1 });
    sessions.removeServer('web', 'live');
    servers = snapshotOf(cluster, sessions);
    expect(servers[2]).toMatchObject({ state: 'drained', safeToStop: true, standby: false });
    expect(servers[2]!.drainedAt).toBeTypeOf('number');
  });

  it('gives new sessions to active servers only', () => {
    const { cluster, server } = runtimeOf(clusterConfig([{ id: 'zero', capacity: 0 }, { id: 'off', enabled: false }, { id: 'down' }, { id: 'up' }]));
    const updates = new ServerHealthUpdates(() => {});
    updates.failed(server('down'), 'refused');
    updates.failed(server('down'), 'refused');
    for (let i = 0; i < 10; i++) expect(cluster.pickServer()?.id).toBe('up');
    expect(cluster.pickServer(server('up'))).toBeUndefined();
  });
});
