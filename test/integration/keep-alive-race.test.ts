import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startGateway, type Harness } from '../support/gateway-harness.js';
import { ClosingBackend } from '../support/closing-backend.js';
import { request, User } from '../support/http-client.js';
import { exchange } from '../support/raw-http.js';
import { okResponse, ScriptedBackend } from '../support/scripted-backend.js';

let harness: Harness | undefined;
let backends: ClosingBackend[] = [];
afterEach(async () => {
  await harness?.stop();
  await Promise.all(backends.map((b) => b.stop()));
  harness = undefined;
  backends = [];
});

async function startBehindGateway(extra: { backendIdleTimeoutSec?: number } = {}): Promise<Harness> {
  backends = await Promise.all([new ClosingBackend('a').start(), new ClosingBackend('b').start()]);
  return startGateway([
    {
      id: 'web', name: 'Web', ...extra,
      healthCheck: { type: 'tcp', intervalSec: 3600, unhealthyAfter: 1 },
      servers: backends.map((b) => ({ id: b.name, name: b.name.toUpperCase(), url: b.url })),
    },
  ]);
}

describe('a backend closing a kept-alive connection as the gateway reuses it', () => {
  it('retries the request on the same server over a new connection: the user keeps the session, the server its health', async () => {
    harness = await startBehindGateway();
    const user = new User(harness.url);
    const first = await user.get('/start');
    expect(first.status).toBe(200);
    const home = first.backend;
    const cookie = user.cookies.get('sb-web');
    expect(cookie).toBeDefined();
    const server = backends.find((b) => b.name === home)!;

    const again = await user.get('/again');
    expect(again.status).toBe(200);
    expect(again.backend).toBe(home);
    expect(again.headers['set-cookie']?.some((line) => line.startsWith('sb-web='))).toBeFalsy();

    // A new pooled connection, which the POST below then reuses.
    expect((await user.get('/warm')).backend).toBe(home);
    const form = 'name=Ada&comment=' + 'x'.repeat(2000);
    const posted = await request(`${harness.url}/save`, {
      method: 'POST',
      headers: { cookie: `sb-web=${cookie}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    expect(posted.status).toBe(200);
    expect(JSON.parse(posted.body)).toEqual({ backend: home, method: 'POST', body: form });
    expect(posted.headers['set-cookie']?.some((line) => line.startsWith('sb-web='))).toBeFalsy();

    // The race really happened, for the GET and for the POST.
    expect(server.cutOff).toBe(2);
    expect(server.answered.map((r) => r.path)).toEqual(['/start', '/again', '/warm', '/save']);
    const state = await harness.control.getState();
    const stats = state.clusters[0]!.servers.find((s) => s.id === home)!;
    expect(stats.state).toBe('active');
    expect(stats.health.consecutiveFailures).toBe(0);
    expect(stats.errors).toBe(0);
    expect(harness.events.filter((e) => e.type === 'offline')).toEqual([]);
  });

  it('answers 502 to a body over 64 KB that met the race, still without a health failure or a new session', async () => {
    harness = await startBehindGateway();
    const user = new User(harness.url);
    const home = (await user.get('/start')).backend;
    const cookie = user.cookies.get('sb-web')!;
    const posted = await request(`${harness.url}/upload`, { method: 'POST', headers: { cookie: `sb-web=${cookie}` }, body: 'x'.repeat(100_000) });
    expect(posted.status).toBe(502);
    expect(posted.body).toContain('too large to send again');
    expect(posted.headers['set-cookie']?.some((line) => line.startsWith('sb-web='))).toBeFalsy();
    const stats = (await harness.control.getState()).clusters[0]!.servers.find((s) => s.id === home)!;
    expect(stats.health.consecutiveFailures).toBe(0);
    expect(stats.state).toBe('active');
    expect((await user.get('/after')).backend).toBe(home);
  });

  it('closes pooled connections after the cluster\'s backendIdleTimeoutSec, before the backend would', async () => {
    harness = await startBehindGateway({ backendIdleTimeoutSec: 1 });
    const reply = await new User(harness.url).get('/');
    const server = backends.find((b) => b.name === reply.backend)!;
    expect(server.openConnections).toBe(1);
    // Well before the 4 s default, and long before the backend's own 5 s.
    await eventually(() => expect(server.openConnections).toBe(0), 2500);
  });

  it('closes a pooled connection sooner when the backend announces a shorter Keep-Alive timeout, less 2 s of margin', async () => {
    const scripted = await new ScriptedBackend((request, socket) => {
      const announced = Number(request.url.slice(1));
      socket.write(okResponse('page', `Keep-Alive: timeout=${announced}, max=100\r\n`));
    }).start();
    try {
      harness = await startGateway([{ id: 'web', name: 'Web', healthCheck: { type: 'tcp', intervalSec: 3600 }, servers: [{ id: 'a', name: 'A', url: scripted.url }] }]);
      // timeout=2 leaves no time at all: closed right after the answer.
      expect((await exchange(harness.port, 'GET /2 HTTP/1.1\r\nHost: portal.test\r\n\r\n')).status).toBe(200);
      await eventually(() => expect(scripted.openConnections).toBe(0), 1000);
      // timeout=3 leaves 1 s, well before the cluster's 4 s.
      const startedAt = Date.now();
      expect((await exchange(harness.port, 'GET /3 HTTP/1.1\r\nHost: portal.test\r\n\r\n')).status).toBe(200);
      expect(scripted.openConnections).toBe(1);
      await eventually(() => expect(scripted.openConnections).toBe(0), 3000);
      expect(Date.now() - startedAt).toBeLessThan(3000);
    } finally {
      await scripted.stop();
    }
  });

  it('never keeps a pooled connection longer than backendIdleTimeoutSec, whatever Keep-Alive timeout the backend announces', async () => {
    const scripted = await new ScriptedBackend((_request, socket) => socket.write(okResponse('page', 'Keep-Alive: timeout=600\r\n'))).start();
    try {
      harness = await startGateway([{ id: 'web', name: 'Web', backendIdleTimeoutSec: 1, healthCheck: { type: 'tcp', intervalSec: 3600 }, servers: [{ id: 'a', name: 'A', url: scripted.url }] }]);
      expect((await exchange(harness.port, 'GET / HTTP/1.1\r\nHost: portal.test\r\n\r\n')).status).toBe(200);
      expect(scripted.openConnections).toBe(1);
      await eventually(() => expect(scripted.openConnections).toBe(0), 2500);
    } finally {
      await scripted.stop();
    }
  });

  it('sets the pool\'s idle timeout below the usual 5 s of backends by default', async () => {
    harness = await startBehindGateway();
    expect(harness.gateway.currentConfig().clusters[0]!.backendIdleTimeoutSec).toBeLessThan(5);
    const server = harness.gateway.clusters.get('web')!.servers.get('a')!;
    expect(server.connections.idleTimeoutMs).toBeLessThan(5000);
  });
});
