/** SessionBinder on its own: tentative cookie sessions, confirmation, ended sessions, client limits and moving off a failed server. */
import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { clusterSchema, type ClusterConfig } from '../../../proxy/config/config-schema.js';
import { ClusterRuntime } from '../../../proxy/runtime/cluster-runtime.js';
import { SessionBinder, type SessionLimits } from '../../../proxy/sessions/session-binder.js';
import { SessionCookieCodec } from '../../../proxy/sessions/session-cookie.js';
import { SessionTable } from '../../../proxy/sessions/session-table.js';

const NOW = 1_700_000_000_000;
const IDLE_MS = 20 * 60_000;
const clusters: ClusterRuntime[] = [];

afterEach(() => {
  for (const cluster of clusters.splice(0)) cluster.close();
});

function setUp(options: { sessionMethod?: 'cookie' | 'client-ip'; limits?: SessionLimits } = {}) {
  const config: ClusterConfig = clusterSchema.parse({
    id: 'web',
    name: 'Web',
    sessionMethod: options.sessionMethod ?? 'cookie',
    servers: [
      { id: 'a', name: 'A', url: 'http://127.0.0.1:9', capacity: 50 },
      { id: 'b', name: 'B', url: 'http://127.0.0.1:9', capacity: 50 },
    ],
  });
  const table = new SessionTable(NOW);
  table.setPolicy('web', { idleMs: IDLE_MS, maxLifetimeMs: null });
  const cluster = new ClusterRuntime(config, () => {}, (c, s) => table.countOf(c, s));
  clusters.push(cluster);
  cluster.update(config, NOW);
  for (const server of cluster.servers.values()) server.refreshState();
  const binder = new SessionBinder(table, new SessionCookieCodec(Buffer.alloc(32, 7)), options.limits);
  return { table, cluster, binder };
}

/** A request as the binder sees it; each gets a socket of its own, as a new connection would. */
function request(cookie?: string): http.IncomingMessage {
  return { headers: cookie === undefined ? {} : { cookie }, socket: {} } as unknown as http.IncomingMessage;
}

/** The `name=value` a browser sends back for a Set-Cookie value. */
function cookieOf(setCookie: string | null): string {
  expect(setCookie).not.toBeNull();
  return setCookie!.split(';')[0]!;
}

describe('SessionBinder with cookie sessions', () => {
  it('stores nothing for a new client until it comes back with its cookie, then stores it on the named server', () => {
    const { table, cluster, binder } = setUp();
    const first = binder.bind(cluster, request(), '10.0.0.1', false, NOW)!;
    expect(first.setCookie).toMatch(/^sb-web=/);
    expect(table.size).toBe(0);
    expect(first.server.tentative.count(NOW)).toBe(1);

    const back = binder.bind(cluster, request(cookieOf(first.setCookie)), '10.0.0.1', false, NOW + 1000)!;
    expect(back.server).toBe(first.server);
    expect(back.setCookie).toBeNull();
    expect(table.size).toBe(1);
    // The request that issued the cookie counts as the session's first, this one as its second.
    expect(table.detailsOf(back.session)?.requests).toBe(2);
    expect(table.countOf('web', first.server.id)).toBe(1);
  });

  it('keeps a stored session on its server for later requests', () => {
    const { cluster, binder } = setUp();
    const cookie = cookieOf(binder.bind(cluster, request(), '10.0.0.1', false, NOW)!.setCookie);
    const stored = binder.bind(cluster, request(cookie), '10.0.0.1', false, NOW + 1000)!;
    for (let i = 2; i <= 5; i++) {
      const again = binder.bind(cluster, request(cookie), '10.0.0.1', false, NOW + i * 1000)!;
      expect(again.session).toEqual(stored.session);
      expect(again.setCookie).toBeNull();
    }
  });

  it('starts over with a fresh cookie for a forged or garbled cookie, storing nothing', () => {
    const { table, cluster, binder } = setUp();
    const genuine = cookieOf(binder.bind(cluster, request(), '10.0.0.1', false, NOW)!.setCookie);
    const forged = genuine.slice(0, -3) + (genuine.endsWith('AAA') ? 'BBB' : 'AAA');
    for (const cookie of [forged, 'sb-web=garbage', 'sb-web=a.b.c.d.e']) {
      const binding = binder.bind(cluster, request(cookie), '10.0.0.1', false, NOW + 1000)!;
      expect(binding.setCookie).toMatch(/^sb-web=/);
      expect(cookieOf(binding.setCookie)).not.toBe(cookie);
    }
    expect(table.size).toBe(0);
  });

  it('does not confirm a cookie older than the session timeout', () => {
    const { table, cluster, binder } = setUp();
    const cookie = cookieOf(binder.bind(cluster, request(), '10.0.0.1', false, NOW)!.setCookie);
    const late = binder.bind(cluster, request(cookie), '10.0.0.1', false, NOW + IDLE_MS + 1000)!;
    expect(late.setCookie).not.toBeNull();
    expect(table.size).toBe(0);
  });

  it('does not bring back a session that was ended, even with its cookie', () => {
    const { table, cluster, binder } = setUp();
    const cookie = cookieOf(binder.bind(cluster, request(), '10.0.0.1', false, NOW)!.setCookie);
    const stored = binder.bind(cluster, request(cookie), '10.0.0.1', false, NOW + 1000)!;
    binder.end(table.detailsOf(stored.session)!, NOW + 2000);
    expect(table.size).toBe(0);
    const after = binder.bind(cluster, request(cookie), '10.0.0.1', false, NOW + 3000)!;
    expect(after.setCookie).not.toBeNull();
    expect(after.session.key).not.toBe(stored.session.key);
    expect(table.size).toBe(0);
  });

  it('moves a session whose server went offline to another server with a new cookie', () => {
    const { table, cluster, binder } = setUp();
    const cookie = cookieOf(binder.bind(cluster, request(), '10.0.0.1', false, NOW)!.setCookie);
    const stored = binder.bind(cluster, request(cookie), '10.0.0.1', false, NOW + 1000)!;
    stored.server.health.online = false;
    stored.server.refreshState();
    const moved = binder.bind(cluster, request(cookie), '10.0.0.1', false, NOW + 2000)!;
    expect(moved.server).not.toBe(stored.server);
    expect(moved.setCookie).toMatch(/^sb-web=/);
    expect(table.countOf('web', stored.server.id)).toBe(0);
  });

  it('serves a client beyond its session limit without storing its session, and says so', () => {
    const limited: string[] = [];
    const { table, cluster, binder } = setUp({ limits: { perClient: () => 1, onClientLimit: (client) => limited.push(client) } });
    const first = cookieOf(binder.bind(cluster, request(), '10.0.0.1', false, NOW)!.setCookie);
    const second = cookieOf(binder.bind(cluster, request(), '10.0.0.1', false, NOW)!.setCookie);
    binder.bind(cluster, request(first), '10.0.0.1', false, NOW + 1000);
    const over = binder.bind(cluster, request(second), '10.0.0.1', false, NOW + 1000)!;
    expect(over.setCookie).toBeNull();
    expect(table.size).toBe(1);
    expect(limited).toEqual(['10.0.0.1']);
    // Another address has a limit of its own.
    const other = cookieOf(binder.bind(cluster, request(), '10.0.0.2', false, NOW)!.setCookie);
    binder.bind(cluster, request(other), '10.0.0.2', false, NOW + 1000);
    expect(table.size).toBe(2);
  });

  it('marks the cookie Secure on a secure connection only', () => {
    const { cluster, binder } = setUp();
    expect(binder.bind(cluster, request(), '10.0.0.1', true, NOW)!.setCookie).toMatch(/;\s*Secure/i);
    expect(binder.bind(cluster, request(), '10.0.0.1', false, NOW)!.setCookie).not.toMatch(/;\s*Secure/i);
  });
});

describe('SessionBinder with client-address sessions', () => {
  it('stores the session at once, keyed by the address, and keeps the address on its server', () => {
    const { table, cluster, binder } = setUp({ sessionMethod: 'client-ip' });
    const first = binder.bind(cluster, request(), '10.0.0.1', false, NOW)!;
    expect(first.setCookie).toBeNull();
    expect(first.session.key).toBe('10.0.0.1');
    expect(table.size).toBe(1);
    for (let i = 1; i <= 4; i++) expect(binder.bind(cluster, request(), '10.0.0.1', false, NOW + i)!.server).toBe(first.server);
  });

  it('moves a binding off a failed server with moveElsewhere, and finds nowhere when no other server is active', () => {
    const { table, cluster, binder } = setUp({ sessionMethod: 'client-ip' });
    const first = binder.bind(cluster, request(), '10.0.0.1', false, NOW)!;
    const moved = binder.moveElsewhere(cluster, first, '10.0.0.1', false, NOW + 1)!;
    expect(moved.server).not.toBe(first.server);
    expect(table.countOf('web', first.server.id)).toBe(0);
    expect(table.countOf('web', moved.server.id)).toBe(1);
    first.server.health.online = false;
    first.server.refreshState();
    expect(binder.moveElsewhere(cluster, moved, '10.0.0.1', false, NOW + 2)).toBeUndefined();
  });
});
