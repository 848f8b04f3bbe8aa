import { describe, expect, it, vi } from 'vitest';
import { configSchema, type GatewayConfig } from '../../proxy/config/config-schema.js';
import type { GatewayEvent, GatewaySnapshot } from '../../proxy/control/control-api.js';
import { ServerHealthUpdates } from '../../proxy/health/server-health-updates.js';
import { ListenerSet } from '../../proxy/listeners/listener-set.js';
import { AccessLog } from '../../proxy/logs/access-log.js';
import type { GatewayLogger } from '../../proxy/logs/gateway-logger.js';
import { teeLogger } from '../../proxy/logs/gateway-logs.js';
import { LiveTraffic } from '../../proxy/runtime/live-traffic.js';
import { StateEvents } from '../../proxy/runtime/state-events.js';
import { StatsTicker } from '../../proxy/runtime/stats-ticker.js';
import { sessionLimitWarning } from '../../proxy/sessions/session-limit-warning.js';
import { SessionPersistence } from '../../proxy/sessions/session-persistence.js';
import { SessionSweeper } from '../../proxy/sessions/session-sweeper.js';
import { TEST_TOKEN } from '../support/gateway-harness.js';

function recordingLogger(): GatewayLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (message) => lines.push(`info ${message}`),
    warn: (message) => lines.push(`warn ${message}`),
    error: (message) => lines.push(`error ${message}`),
  };
}

function config(input: Record<string, unknown>): GatewayConfig {
  return configSchema.parse({ admin: { token: TEST_TOKEN }, ...input });
}

const twoClusters = config({
  routes: [{ path: '/', cluster: 'web' }, { path: '/mail/', cluster: 'mail' }],
  trustedProxies: ['10.0.0.0/8'],
  limits: { connectionsPerClient: 7 },
  clusters: [
    { id: 'web', name: 'Web', servers: [{ id: 'a', name: 'A', url: 'http://127.0.0.1:9' }, { id: 'b', name: 'B', url: 'http://127.0.0.1:9' }] },
    { id: 'mail', name: 'Mail', servers: [{ id: 'm', name: 'M', url: 'http://127.0.0.1:9' }] },
  ],
});

function liveTraffic(events: GatewayEvent[] = []): LiveTraffic {
  const stateEvents = new StateEvents((event) => events.push(event));
  return new LiveTraffic(new AccessLog(), new ServerHealthUpdates((event) => events.push(event)), stateEvents.changed);
}

describe('LiveTraffic', () => {
  it('follows a configuration whole: clusters, routes, trusted proxies and limits', () => {
    const traffic = liveTraffic();
    expect(traffic.apply(twoClusters, Date.now())).toEqual([]);
    expect([...traffic.clusters.keys()]).toEqual(['web', 'mail']);
    expect([...traffic.clusters.get('web')!.servers.keys()]).toEqual(['a', 'b']);
    expect(traffic.clientLimits.config.connectionsPerClient).toBe(7);
    expect(traffic.trustedProxies).toBe(traffic.clientLimits.trustedProxies);
    expect(traffic.serverAccess).toBeUndefined();
    traffic.close();
  });

  it('ends the sessions of removed clusters and servers, and of a cluster that tells sessions apart another way, keeping the rest', () => {
    const traffic = liveTraffic();
    traffic.apply(twoClusters, Date.now());
    const now = Date.now();
    traffic.sessions.create('web', 'a', 'k1', '10.1.1.1', now);
    traffic.sessions.create('web', 'b', 'k2', '10.1.1.1', now);
    traffic.sessions.create('mail', 'm', 'k3', '10.1.1.1', now);
    const web = twoClusters.clusters[0]!;
    const smaller = config({ routes: [{ path: '/', cluster: 'web' }], clusters: [{ ...web, servers: [web.servers[0]!] }] });
    expect(traffic.apply(smaller, now)).toEqual(['mail']);
    expect(traffic.sessions.size).toBe(1);
    expect(traffic.sessions.countOf('web', 'a')).toBe(1);
    traffic.apply(config({ routes: [{ path: '/', cluster: 'web' }], clusters: [{ ...web, sessionMethod: 'client-ip' }] }), now);
    expect(traffic.sessions.size).toBe(0);
    traffic.close();
  });

  it('turns passive failures into health and state, like active checks', () => {
    const events: GatewayEvent[] = [];
    const traffic = liveTraffic(events);
    traffic.apply(twoClusters, Date.now());
    const server = traffic.clusters.get('mail')!.servers.get('m')!;
    traffic.passiveFailure(server, 'refused');
    traffic.passiveFailure(server, 'refused');
    expect(server.state).toBe('offline');
    expect(events.filter((e) => e.type === 'offline' || e.type === 'state').map((e) => e.type)).toEqual(['state', 'state', 'state', 'offline', 'state']);
    traffic.passiveSuccess(server);
    expect(server.state).toBe('active');
    traffic.close();
  });
});

describe('StateEvents', () => {
  it('says nothing while quiet, then announces each state as its first; drained only follows a change', () => {
    const events: GatewayEvent[] = [];
    const stateEvents = new StateEvents((event) => events.push(event));
    const traffic = new LiveTraffic(new AccessLog(), new ServerHealthUpdates(() => {}), stateEvents.changed);
    stateEvents.quiet = true;
    traffic.apply(config({ clusters: [{ id: 'web', name: 'Web', servers: [{ id: 'a', name: 'A', url: 'http://127.0.0.1:9', capacity: 0 }] }] }), Date.now());
    expect(events).toEqual([]);
    stateEvents.quiet = false;
    stateEvents.announce(traffic.clusters.values());
    expect(events).toMatchObject([{ type: 'state', clusterId: 'web', serverId: 'a', serverName: 'A', from: null, to: 'drained' }]);
    const server = traffic.clusters.get('web')!.servers.get('a')!;
    server.stats.inflight = 1;
    server.refreshState();
    server.stats.inflight = 0;
    server.refreshState();
    expect(events.map((e) => (e.type === 'state' ? `${e.from}→${e.to}` : e.type))).toEqual(['null→drained', 'drained→draining', 'draining→drained', 'drained']);
    traffic.close();
  });
});

describe('StatsTicker', () => {
  it('sweeps, ticks every server, re-derives draining servers and builds a snapshot only when someone listens', () => {
    const traffic = liveTraffic();
    traffic.apply(config({ clusters: [{ id: 'web', name: 'Web', tentativeSessionSec: 1, servers: [{ id: 'a', name: 'A', url: 'http://127.0.0.1:9', capacity: 0 }] }] }), Date.now());
    const server = traffic.clusters.get('web')!.servers.get('a')!;
    const now = Date.now();
    server.tentative.add(now);
    server.refreshState();
    expect(server.state).toBe('draining');
    for (let i = 0; i < 10; i++) server.stats.countRequest(now - 2000);
    const emitted: GatewayEvent[] = [];
    let listening = false;
    let sweeps = 0;
    let snapshots = 0;
    const ticker = new StatsTicker({
      clusters: traffic.clusters,
      sessions: traffic.sessions,
      sweeper: { sweep: () => void sweeps++ },
      hasListeners: () => listening,
      snapshot: () => (snapshots++, { at: 0 } as GatewaySnapshot),
      emit: (event) => emitted.push(event),
    });
    ticker.tick(now);
    expect(sweeps).toBe(1);
    expect(server.stats.requestsPerSec).toBe(2);
    expect(server.state).toBe('draining');
    expect(snapshots).toBe(0);
    // Its tentative session runs out with time alone: the next tick after that sees it drained.
    vi.useFakeTimers({ now: now + 2000, toFake: ['Date'] });
    try {
      listening = true;
      ticker.tick(now + 2000);
    } finally {
      vi.useRealTimers();
    }
    expect(server.state).toBe('drained');
    expect(snapshots).toBe(1);
    expect(emitted).toEqual([{ type: 'stats', at: now + 2000, snapshot: { at: 0 } }]);
    traffic.close();
  });
});

describe('SessionPersistence', () => {
  function table(dirty: boolean) {
    return { dirty, restore: vi.fn(() => 2), serialize: vi.fn(function* () { yield 'sessions'; }) };
  }

  it('restores and says how many, and reports a file it cannot read without failing', async () => {
    const logger = recordingLogger();
    const sessions = table(false);
    const saved = new TextEncoder().encode('saved');
    const store = { loadSessions: async () => saved, saveSessions: async () => {} };
    await new SessionPersistence(sessions as never, store, logger).restore(() => true);
    expect(sessions.restore).toHaveBeenCalledWith(saved, expect.any(Number), expect.any(Function));
    const broken = { loadSessions: async () => Promise.reject(new Error('EACCES')), saveSessions: async () => {} };
    await new SessionPersistence(table(false) as never, broken, logger).restore(() => true);
    expect(logger.lines).toEqual(['info Restored 2 live sessions', 'warn Saved sessions could not be read and were not restored: EACCES']);
  });

  it('saves only a changed table (always when final), one save at a time, and tries a failed save again', async () => {
    const logger = recordingLogger();
    const sessions = table(false);
    const saved: string[][] = [];
    let fail = false;
    let writing = 0;
    const store = {
      loadSessions: async () => null,
      saveSessions: async (chunks: Iterable<string>) => {
        expect(writing++).toBe(0);
        await new Promise((resolve) => setTimeout(resolve, 5));
        writing--;
        if (fail) throw new Error('disk full');
        saved.push([...chunks]);
      },
    };
    const persistence = new SessionPersistence(sessions as never, store, logger);
    await persistence.save(false);
    expect(saved).toEqual([]);
    await persistence.save(true);
    expect(saved).toHaveLength(1);
    sessions.dirty = true;
    fail = true;
    await persistence.save(false);
    expect(sessions.dirty).toBe(true);
    expect(logger.lines).toEqual(['error Sessions could not be saved: disk full']);
    fail = false;
    await Promise.all([persistence.save(false), persistence.save(true)]);
    expect(saved).toHaveLength(3);
    expect(sessions.dirty).toBe(false);
  });
});

describe('SessionSweeper', () => {
  it('goes on in later turns of the event loop until caught up, never two sweeps at once', async () => {
    let calls = 0;
    const sweeper = new SessionSweeper({ sweep: () => ++calls >= 3 });
    sweeper.sweep();
    sweeper.sweep();
    expect(calls).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toBe(3);
    sweeper.sweep();
    expect(calls).toBe(4);
  });
});

describe('sessionLimitWarning', () => {
  it('warns once a minute at most, with the limit as it is then', () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['Date'] });
    try {
      const logger = recordingLogger();
      let limit = 5;
      const warn = sessionLimitWarning(logger, () => limit);
      const cluster = { config: { name: 'Web' } } as never;
      warn('10.0.0.1', cluster);
      vi.setSystemTime(1_000_000 + 59_000);
      warn('10.0.0.2', cluster);
      limit = 6;
      vi.setSystemTime(1_000_000 + 60_000);
      warn('10.0.0.3', cluster);
      expect(logger.lines).toHaveLength(2);
      expect(logger.lines[0]).toContain('Client 10.0.0.1 holds 5 sessions');
      expect(logger.lines[1]).toContain('Client 10.0.0.3 holds 6 sessions');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('teeLogger', () => {
  it('writes each line to both loggers, or is the first when there is no second', () => {
    const first = recordingLogger();
    const second = recordingLogger();
    const both = teeLogger(first, second);
    both.warn('careful');
    both.error('broken');
    expect(first.lines).toEqual(['warn careful', 'error broken']);
    expect(second.lines).toEqual(first.lines);
    expect(teeLogger(first, undefined)).toBe(first);
  });
});

describe('ListenerSet statuses', () => {
  it('reports a configured listener that is not open, as paused while the gateway is', () => {
    const set = new ListenerSet({
      handlers: { request: () => {}, upgrade: () => {}, admitConnection: () => true },
      logger: recordingLogger(),
      configLocation: '/nowhere/switchboard.json',
      wanted: () => null,
    });
    const listeners = config({ listeners: [{ port: 8080, host: '127.0.0.1' }] }).listeners;
    expect(set.statuses(listeners, true)).toEqual([{ port: 8080, host: '127.0.0.1', protocol: 'http', listening: false, error: 'paused' }]);
    expect(set.statuses(listeners, false)[0]!.error).toBeNull();
  });
});
