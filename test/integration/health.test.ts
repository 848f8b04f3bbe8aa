import { describe, expect, it } from 'vitest';
import { eventually, startGateway } from '../support/gateway-harness.js';
import { User } from '../support/http-client.js';
import { startBackends } from '../support/test-backend.js';
import { stopAfterEach } from '../support/fixtures.js';

const t = stopAfterEach();


async function server(id: string) {
  const state = await t.harness!.control.getState();
  return state.clusters[0]!.servers.find((s) => s.id === id)!;
}

describe('health', () => {
  it('a killed backend goes offline, its users are served elsewhere without errors, and it comes back', async () => {
    t.backends = await startBackends('a', 'b');
    t.harness = await startGateway([
      {
        id: 'web', name: 'Web',
        healthCheck: { type: 'http', path: '/health', intervalSec: 1, timeoutMs: 500, unhealthyAfter: 2, healthyAfter: 1 },
        servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }, { id: 'b', name: 'B', url: t.backends[1]!.url }],
      },
    ]);
    const users = Array.from({ length: 8 }, () => new User(t.harness!.url));
    for (const user of users) await user.get('/');
    const onA = users.filter((_, i) => i % 2 === 0);
    await t.backends[0]!.stop();

    // Every request of every user still succeeds: a refused connection is retried on B.
    for (let round = 0; round < 3; round++) {
      for (const user of users) {
        const reply = await user.get(`/after-crash/${round}`);
        expect(reply.status).toBe(200);
        expect(reply.backend).toBe('b');
      }
    }
    expect((await server('a')).state).toBe('offline');
    expect((await server('a')).sessions).toBe(0);
    expect((await server('b')).sessions).toBe(8);
    const offline = t.harness.events.filter((e) => e.type === 'offline');
    expect(offline).toEqual([expect.objectContaining({ serverId: 'a', reason: expect.stringContaining('ECONNREFUSED') })]);

    await t.backends[0]!.start();
    await eventually(async () => expect((await server('a')).state).toBe('active'), 5000);
    expect(t.harness.events.filter((e) => e.type === 'online')).toEqual([expect.objectContaining({ serverId: 'a' })]);
    // Moved users stay where they are now; new users are balanced over both again.
    for (const user of onA) expect((await user.get('/')).backend).toBe('b');
    expect((await new User(t.harness.url).get('/')).backend).toBe('a');
  });

  it('active http checks take a server offline on 5xx and count it online below 500', async () => {
    t.backends = await startBackends('a', 'b');
    let healthStatus = 200;
    t.backends[0]!.handlers.set('/health', (_req, res) => {
      res.writeHead(healthStatus);
      res.end();
    });
    t.harness = await startGateway([
      {
        id: 'web', name: 'Web',
        healthCheck: { type: 'http', path: '/health', intervalSec: 1, unhealthyAfter: 2, healthyAfter: 2 },
        servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }, { id: 'b', name: 'B', url: t.backends[1]!.url }],
      },
    ]);
    healthStatus = 503;
    await eventually(async () => expect((await server('a')).state).toBe('offline'), 6000);
    expect((await server('a')).health.lastError).toContain('503');
    healthStatus = 404;
    await eventually(async () => expect((await server('a')).state).toBe('active'), 6000);
    expect((await server('a')).health.consecutiveSuccesses).toBeGreaterThanOrEqual(2);
  });

  it('tcp checks notice a closed port', async () => {
    t.backends = await startBackends('a', 'b');
    t.harness = await startGateway([
      {
        id: 'web', name: 'Web', healthCheck: { type: 'tcp', intervalSec: 1, unhealthyAfter: 1 },
        servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }, { id: 'b', name: 'B', url: t.backends[1]!.url }],
      },
    ]);
    expect((await server('a')).state).toBe('active');
    await t.backends[0]!.stop();
    await eventually(async () => expect((await server('a')).state).toBe('offline'), 5000);
    expect((await server('b')).state).toBe('active');
  });

  it('answers 502 when the only server fails, then 503 once it is offline', async () => {
    t.backends = await startBackends('a');
    t.harness = await startGateway([
      { id: 'web', name: 'Web', healthCheck: { intervalSec: 60, unhealthyAfter: 1 }, servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }] },
    ]);
    await t.backends[0]!.stop();
    const first = await new User(t.harness.url).get('/');
    expect(first.status).toBe(502);
    expect(first.body).toContain('could not be reached');
    const next = await new User(t.harness.url).get('/');
    expect(next.status).toBe(503);
    expect(next.body).toContain('No server of "Web" is available');
    expect((await server('a')).errors).toBe(1);
  });
});
