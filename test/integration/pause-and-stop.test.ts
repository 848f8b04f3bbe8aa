import { describe, expect, it } from 'vitest';
import { startGateway } from '../support/gateway-harness.js';
import { User } from '../support/http-client.js';
import { startBackends } from '../support/test-backend.js';
import { stopAfterEach } from '../support/fixtures.js';
import { tryConnect } from '../support/loopback-server.js';

const t = stopAfterEach();


describe('pause and stop', () => {
  it('pausing closes the listeners and keeps sessions; resuming serves them again', async () => {
    t.backends = await startBackends('a', 'b');
    t.harness = await startGateway([
      { id: 'web', name: 'Web', servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }, { id: 'b', name: 'B', url: t.backends[1]!.url }] },
    ]);
    // A connection per request, as pausing cuts kept-alive ones.
    const user = new User(t.harness.url, true);
    const home = (await user.get('/')).backend;
    expect((await user.get('/next')).backend).toBe(home);
    await t.harness.control.as('tray').setPaused(true);
    expect(await tryConnect(t.harness.port)).toBe('ECONNREFUSED');
    const paused = await t.harness.control.getState();
    expect(paused.paused).toBe(true);
    expect(paused.listeners[0]).toMatchObject({ listening: false });
    expect(paused.clusters[0]!.sessions).toBe(1);
    await t.harness.control.as('tray').setPaused(false);
    expect((await user.get('/')).backend).toBe(home);
    expect((await t.harness.control.getState()).listeners[0]).toMatchObject({ listening: true, error: null });
  });

  it('a stop lets the request in flight finish before it closes', async () => {
    t.backends = await startBackends('a');
    t.backends[0]!.handlers.set('/slow', (_req, res) => setTimeout(() => res.end('finished'), 400));
    t.harness = await startGateway([{ id: 'web', name: 'Web', servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }] }]);
    const slow = new User(t.harness.url).get('/slow');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopped = t.harness.gateway.stop({ graceMs: 5000 });
    const reply = await slow;
    await stopped;
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('finished');
    expect(await tryConnect(t.harness.port)).toBe('ECONNREFUSED');
  });

  it('reports a listener that cannot bind, naming port and address, instead of failing (the desktop app keeps running)', async () => {
    t.backends = await startBackends('a');
    t.harness = await startGateway([{ id: 'web', name: 'Web', servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }] }]);
    const other = await startGateway([{ id: 'web', name: 'Web', servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }] }], {
      listeners: [{ port: t.harness.port, host: '127.0.0.1' }],
    });
    try {
      const state = await other.control.getState();
      expect(state.listeners[0]).toMatchObject({
        port: t.harness.port,
        listening: false,
        error: `port ${t.harness.port} on 127.0.0.1 is already in use by another program (EADDRINUSE)`,
      });
    } finally {
      await other.stop();
    }
  });
});
