import { describe, expect, it } from 'vitest';
import { startGateway } from '../support/gateway-harness.js';
import { User } from '../support/http-client.js';
import { startBackends } from '../support/test-backend.js';
import { stopAfterEach } from '../support/fixtures.js';

const t = stopAfterEach();


async function countNewSessions(users: number, baseUrl: string): Promise<{ counts: Map<string, number>; users: User[] }> {
  const counts = new Map<string, number>();
  const created: User[] = [];
  for (let i = 0; i < users; i++) {
    const user = new User(baseUrl);
    const reply = await user.get('/');
    expect(reply.status).toBe(200);
    counts.set(reply.backend, (counts.get(reply.backend) ?? 0) + 1);
    created.push(user);
  }
  return { counts, users: created };
}

describe('balancing new sessions by capacity', () => {
  for (const balancing of ['least-sessions', 'round-robin'] as const) {
    it(`gives each server its capacity share (${balancing})`, async () => {
      t.backends = await startBackends('a', 'b', 'c');
      t.harness = await startGateway([
        {
          id: 'web', name: 'Web', balancing,
          servers: [
            { id: 'a', name: 'A', url: t.backends[0]!.url, capacity: 60 },
            { id: 'b', name: 'B', url: t.backends[1]!.url, capacity: 30 },
            { id: 'c', name: 'C', url: t.backends[2]!.url, capacity: 10 },
          ],
        },
      ]);
      // Balanced while every session is still tentative (no user has come back yet).
      const { counts, users } = await countNewSessions(300, t.harness.url);
      expect(counts.get('a')).toBe(180);
      expect(counts.get('b')).toBe(90);
      expect(counts.get('c')).toBe(30);
      expect((await t.harness.control.getState()).clusters[0]!.sessions).toBe(0);
      for (const user of users) await user.get('/again');
      const state = await t.harness.control.getState();
      expect(state.clusters[0]!.servers.map((s) => s.sessions)).toEqual([180, 90, 30]);
    });
  }
});

describe('stickiness', () => {
  it('keeps every user on one server across hundreds of requests', async () => {
    t.backends = await startBackends('a', 'b');
    t.harness = await startGateway([
      { id: 'web', name: 'Web', servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }, { id: 'b', name: 'B', url: t.backends[1]!.url }] },
    ]);
    const users = Array.from({ length: 10 }, () => new User(t.harness!.url));
    const first = await Promise.all(users.map((u) => u.get('/')));
    for (let round = 0; round < 30; round++) {
      const replies = await Promise.all(users.map((u) => u.get(`/page/${round}`)));
      replies.forEach((reply, i) => {
        expect(reply.status).toBe(200);
        expect(reply.backend).toBe(first[i]!.backend);
        // The cookie is set once, not on every response.
        expect(reply.headers['set-cookie']?.some((c) => c.startsWith('sb-web='))).toBeFalsy();
      });
    }
    const state = await t.harness.control.getState();
    expect(state.clusters[0]!.sessions).toBe(10);
    const sessions = await t.harness.control.listSessions('web', 'a');
    expect(sessions.sessions.every((s) => s.requests === 31)).toBe(true);
  });

  it('sticks by client address when the cluster uses client-ip sessions', async () => {
    t.backends = await startBackends('a', 'b');
    t.harness = await startGateway([
      { id: 'web', name: 'Web', sessionMethod: 'client-ip', servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }, { id: 'b', name: 'B', url: t.backends[1]!.url }] },
    ]);
    const replies = await Promise.all(Array.from({ length: 20 }, () => new User(t.harness!.url).get('/')));
    expect(new Set(replies.map((r) => r.backend)).size).toBe(1);
    expect(replies.every((r) => r.headers['set-cookie']?.every((c) => !c.startsWith('sb-')) ?? true)).toBe(true);
    const state = await t.harness.control.getState();
    expect(state.clusters[0]!.sessions).toBe(1);
  });
});

describe('forged and garbage cookies', () => {
  it('treats a forged, malformed or foreign cookie as no cookie', async () => {
    t.backends = await startBackends('a', 'b');
    t.harness = await startGateway([
      { id: 'web', name: 'Web', servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url, capacity: 100 }, { id: 'b', name: 'B', url: t.backends[1]!.url, capacity: 0 }] },
    ]);
    const user = new User(t.harness.url);
    await user.get('/');
    const genuine = user.cookies.get('sb-web')!;
    const [, sessionId, issued, mac] = genuine.split('.');
    const forgeries = [
      `b.${sessionId}.${issued}.${mac}`, // pointed at another server
      `a.${sessionId}.${(parseInt(issued!, 36) + 1).toString(36)}.${mac}`, // issued later than it was
      `a.${sessionId}.${mac}`, // passed off as a stored session
      `a.${sessionId}.${'A'.repeat(22)}`, // wrong mac
      'garbage',
      '',
      'a..',
      `a.${sessionId}`,
      '%00%ff;;==',
      'x'.repeat(5000),
    ];
    for (const forged of forgeries) {
      const reply = await new User(t.harness.url).get('/', { cookie: `sb-web=${forged}` });
      expect(reply.status).toBe(200);
      expect(reply.backend).toBe('a');
      expect(reply.headers['set-cookie']?.some((c) => c.startsWith('sb-web='))).toBe(true);
    }
    // Nobody reached the capacity-0 server, and every forgery got a tentative session of its own,
    // stored as soon as that client comes back with it (the genuine user here).
    expect(t.backends[1]!.served).toBe(0);
    await user.get('/back');
    const state = await t.harness.control.getState();
    expect(state.clusters[0]!.servers[0]!.sessions).toBe(1);
  });

  it('sets the cookie HttpOnly, SameSite=Lax and Path=/', async () => {
    t.backends = await startBackends('a');
    t.harness = await startGateway([{ id: 'web', name: 'Web', servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }] }]);
    const reply = await new User(t.harness.url).get('/');
    const cookie = reply.headers['set-cookie']!.find((c) => c.startsWith('sb-web='))!;
    expect(cookie).toMatch(/; Path=\/; HttpOnly; SameSite=Lax$/);
    // The backend's own cookie passes through untouched.
    expect(reply.headers['set-cookie']).toContain('app=1; Path=/');
  });
});
