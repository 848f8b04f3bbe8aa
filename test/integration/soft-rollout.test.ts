import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventually, startGateway } from '../support/gateway-harness.js';
import { User } from '../support/http-client.js';
import { startBackends } from '../support/test-backend.js';
import { stopAfterEach } from '../support/fixtures.js';

const t = stopAfterEach();


async function serverState(id: string) {
  const state = await t.harness!.control.getState();
  return state.clusters[0]!.servers.find((s) => s.id === id)!;
}

describe('soft rollout', () => {
  it('capacity 0 keeps existing sessions and sends every new one elsewhere', async () => {
    t.backends = await startBackends('v1', 'v2');
    t.harness = await startGateway([
      { id: 'web', name: 'Web', servers: [{ id: 'v1', name: 'App 1.0', url: t.backends[0]!.url, capacity: 100 }] },
    ]);
    const oldUsers = Array.from({ length: 5 }, () => new User(t.harness!.url));
    for (const user of oldUsers) expect((await user.get('/')).backend).toBe('v1');

    const added = await t.harness.control.addServer('web', { name: 'App 1.1', url: t.backends[1]!.url, capacity: 100 });
    expect(added.id).toBe('app-1-1');
    const drained = await t.harness.control.drainServer('web', 'v1');
    expect(drained.capacity).toBe(0);
    expect(drained.drainedFromCapacity).toBe(100);

    for (let i = 0; i < 5; i++) for (const user of oldUsers) expect((await user.get(`/again/${i}`)).backend).toBe('v1');
    for (let i = 0; i < 20; i++) {
      const newUser = new User(t.harness.url);
      expect((await newUser.get('/')).backend).toBe('v2');
      // Coming back with the cookie makes the session a stored one.
      expect((await newUser.get('/next')).backend).toBe('v2');
    }

    const v1 = await serverState('v1');
    expect(v1.state).toBe('draining');
    expect(v1.sessions).toBe(5);
    expect(v1.sessionsExpireBy).toBeGreaterThan(Date.now() + 1700_000);
    expect((await serverState('app-1-1')).sessions).toBe(20);
    // The drain was written to the config file, with the capacity to restore.
    const stored = JSON.parse(readFileSync(t.harness.configPath, 'utf8'));
    expect(stored.clusters[0].servers[0]).toMatchObject({ capacity: 0, drainedFromCapacity: 100 });

    const restored = await t.harness.control.restoreServer('web', 'v1');
    expect(restored.capacity).toBe(100);
    expect(restored.drainedFromCapacity).toBeUndefined();
    expect((await serverState('v1')).state).toBe('active');
  });

  it('a drained server says so once, after its last session expires', async () => {
    t.backends = await startBackends('v1', 'v2');
    t.harness = await startGateway([
      {
        id: 'web', name: 'Web', sessionTimeoutSec: 1,
        servers: [{ id: 'v1', name: 'App 1.0', url: t.backends[0]!.url }, { id: 'v2', name: 'App 1.1', url: t.backends[1]!.url, capacity: 0 }],
      },
    ]);
    const user = new User(t.harness.url);
    expect((await user.get('/')).backend).toBe('v1');
    expect((await user.get('/next')).backend).toBe('v1');
    await t.harness.control.as('dashboard').updateServer('web', 'v1', { capacity: 0 });
    await t.harness.control.as('dashboard').updateServer('web', 'v2', { capacity: 100 });
    expect((await serverState('v1')).state).toBe('draining');
    await eventually(async () => expect((await serverState('v1')).state).toBe('drained'), 5000);
    expect((await serverState('v1')).sessions).toBe(0);
    const drainedEvents = t.harness.events.filter((e) => e.type === 'drained');
    expect(drainedEvents).toEqual([expect.objectContaining({ clusterId: 'web', serverId: 'v1', serverName: 'App 1.0' })]);
    // The expired session is not revived: the user starts over on the new server.
    expect((await user.get('/')).backend).toBe('v2');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(t.harness.events.filter((e) => e.type === 'drained')).toHaveLength(1);
  });

  it('counts in-flight requests and WebSockets as keeping a server draining', async () => {
    t.backends = await startBackends('v1', 'v2');
    let release: () => void = () => {};
    t.backends[0]!.handlers.set('/slow', (_req, res) => {
      release = () => res.end('slow done');
    });
    t.harness = await startGateway([
      {
        id: 'web', name: 'Web', sessionTimeoutSec: 1, sessionMethod: 'client-ip',
        servers: [{ id: 'v1', name: 'App 1.0', url: t.backends[0]!.url }, { id: 'v2', name: 'App 1.1', url: t.backends[1]!.url, capacity: 0 }],
      },
    ]);
    const slow = new User(t.harness.url).get('/slow');
    await eventually(async () => expect((await serverState('v1')).inflight).toBe(1));
    await t.harness.control.drainServer('web', 'v1');
    // Well past the session timeout, the request is still running.
    await new Promise((resolve) => setTimeout(resolve, 2200));
    expect((await serverState('v1')).sessions).toBe(0);
    expect((await serverState('v1')).state).toBe('draining');
    release();
    expect((await slow).body).toBe('slow done');
    await eventually(async () => expect((await serverState('v1')).state).toBe('drained'));
  });

  it('a server added at runtime takes new sessions', async () => {
    t.backends = await startBackends('a', 'b');
    t.harness = await startGateway([{ id: 'web', name: 'Web', servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }] }]);
    for (let i = 0; i < 4; i++) await new User(t.harness.url).get('/');
    await t.harness.control.addServer('web', { id: 'b', name: 'B', url: t.backends[1]!.url });
    const replies = [];
    for (let i = 0; i < 8; i++) replies.push((await new User(t.harness.url).get('/')).backend);
    // Fewest sessions first: the newcomer catches up, then the two alternate (ties go to the first listed).
    expect(replies).toEqual(['b', 'b', 'b', 'b', 'a', 'b', 'a', 'b']);
  });

  it('disabling a server moves its users on their next request, with a new cookie', async () => {
    t.backends = await startBackends('a', 'b');
    t.harness = await startGateway([
      { id: 'web', name: 'Web', servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }, { id: 'b', name: 'B', url: t.backends[1]!.url, capacity: 0 }] },
    ]);
    const user = new User(t.harness.url);
    await user.get('/');
    const before = user.cookies.get('sb-web');
    await t.harness.control.updateServer('web', 'b', { capacity: 100 });
    await t.harness.control.as('tray').updateServer('web', 'a', { enabled: false });
    expect((await serverState('a')).state).toBe('disabled');
    const reply = await user.get('/');
    expect(reply.backend).toBe('b');
    expect(user.cookies.get('sb-web')).not.toBe(before);
    expect((await user.get('/')).backend).toBe('b');
    expect((await serverState('a')).sessions).toBe(0);
    expect((await serverState('b')).sessions).toBe(1);
    expect(t.harness.events).toContainEqual(expect.objectContaining({ type: 'config', source: 'tray' }));
  });

  it('removing a server ends its sessions and its users start over elsewhere', async () => {
    t.backends = await startBackends('a', 'b');
    t.harness = await startGateway([
      { id: 'web', name: 'Web', servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }, { id: 'b', name: 'B', url: t.backends[1]!.url, capacity: 0 }] },
    ]);
    const user = new User(t.harness.url);
    expect((await user.get('/')).backend).toBe('a');
    await t.harness.control.updateServer('web', 'b', { capacity: 50 });
    await t.harness.control.removeServer('web', 'a');
    expect((await user.get('/')).backend).toBe('b');
    expect((await user.get('/next')).backend).toBe('b');
    const state = await t.harness.control.getState();
    expect(state.clusters[0]!.servers.map((s) => [s.id, s.sessions])).toEqual([['b', 1]]);
  });

  it('ends the sessions of a cluster whose way of recognising them changes', async () => {
    t.backends = await startBackends('a', 'b');
    t.harness = await startGateway([
      { id: 'web', name: 'Web', servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }, { id: 'b', name: 'B', url: t.backends[1]!.url }] },
    ]);
    for (let i = 0; i < 4; i++) {
      const user = new User(t.harness.url);
      await user.get('/');
      await user.get('/next');
    }
    await t.harness.control.updateCluster('web', { sessionTimeoutSec: 900 });
    expect((await t.harness.control.getState()).clusters[0]!.sessions).toBe(4);
    await t.harness.control.updateCluster('web', { sessionMethod: 'client-ip' });
    expect((await t.harness.control.getState()).clusters[0]!.sessions).toBe(0);
    await new User(t.harness.url).get('/');
    expect((await t.harness.control.getState()).clusters[0]!.sessions).toBe(1);
  });
});

describe('restart', () => {
  it('keeps runtime changes and live sessions across a restart', async () => {
    t.backends = await startBackends('a', 'b');
    t.harness = await startGateway([
      { id: 'web', name: 'Web', servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }, { id: 'b', name: 'B', url: t.backends[1]!.url }] },
    ]);
    const users = Array.from({ length: 6 }, () => new User(t.harness!.url));
    const homes = [];
    for (const user of users) homes.push((await user.get('/')).backend);
    for (const user of users) await user.get('/next');
    await t.harness.control.drainServer('web', 'a');
    await t.harness.restart();
    const state = await t.harness.control.getState();
    const a = state.clusters[0]!.servers[0]!;
    expect(a.capacity).toBe(0);
    expect(a.state).toBe('draining');
    expect(a.sessions).toBe(3);
    for (const [i, user] of users.entries()) expect((await user.get('/')).backend).toBe(homes[i]);
    expect((await new User(t.harness.url).get('/')).backend).toBe('b');
  });
});
