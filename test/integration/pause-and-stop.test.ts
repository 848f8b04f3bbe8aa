import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startGateway, type Harness } from '../support/gateway-harness.js';
import { User } from '../support/http-client.js';
import { startBackends, type TestBackend } from '../support/test-backend.js';

let harness: Harness | undefined;
let backends: TestBackend[] = [];

/** Resolves with the error code of a fresh connection attempt, or 'connected'. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

afterEach(async () => {
  await harness?.stop();
  await Promise.all(backends.map((b) => b.stop()));
  harness = undefined;
  backends = [];
});

describe('pause and stop', () => {
  it('pausing closes the listeners and keeps sessions; resuming serves them again', async () => {
    backends = await startBackends('a', 'b');
    harness = await startGateway([
      { id: 'web', name: 'Web', servers: [{ id: 'a', name: 'A', url: backends[0]!.url }, { id: 'b', name: 'B', url: backends[1]!.url }] },
    ]);
    // A connection per request, as pausing cuts kept-alive ones.
    const user = new User(harness.url, true);
    const home = (await user.get('/')).backend;
    await harness.gateway.control.setPaused(true, 'tray');
    expect(await tryConnect(harness.port)).toBe('ECONNREFUSED');
    const paused = await harness.gateway.control.getState();
    expect(paused.paused).toBe(true);
    expect(paused.listeners[0]).toMatchObject({ listening: false });
    expect(paused.clusters[0]!.sessions).toBe(1);
    await harness.gateway.control.setPaused(false, 'tray');
    expect((await user.get('/')).backend).toBe(home);
    expect((await harness.gateway.control.getState()).listeners[0]).toMatchObject({ listening: true, error: null });
  });

  it('a stop lets the request in flight finish before it closes', async () => {
    backends = await startBackends('a');
    backends[0]!.handlers.set('/slow', (_req, res) => setTimeout(() => res.end('finished'), 400));
    harness = await startGateway([{ id: 'web', name: 'Web', servers: [{ id: 'a', name: 'A', url: backends[0]!.url }] }]);
    const slow = new User(harness.url).get('/slow');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopped = harness.gateway.stop({ graceMs: 5000 });
    const reply = await slow;
    await stopped;
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('finished');
    expect(await tryConnect(harness.port)).toBe('ECONNREFUSED');
  });

  it('reports a listener that cannot bind instead of failing', async () => {
    backends = await startBackends('a');
    harness = await startGateway([{ id: 'web', name: 'Web', servers: [{ id: 'a', name: 'A', url: backends[0]!.url }] }]);
    const other = await startGateway([{ id: 'web', name: 'Web', servers: [{ id: 'a', name: 'A', url: backends[0]!.url }] }], {
      listeners: [{ port: harness.port, host: '127.0.0.1' }],
    });
    try {
      const state = await other.gateway.control.getState();
      expect(state.listeners[0]).toMatchObject({ port: harness.port, listening: false, error: expect.stringContaining('EADDRINUSE') });
    } finally {
      await other.stop();
    }
  });
});
