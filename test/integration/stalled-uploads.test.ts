import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { eventually, startGateway } from '../support/gateway-harness.js';
import { request, User } from '../support/http-client.js';
import { startBackends } from '../support/test-backend.js';
import { stopAfterEach } from '../support/fixtures.js';

const t = stopAfterEach();

/** A client that starts an upload and stops sending halfway; `reply` is what the gateway answered before closing. */
function stalledUpload(port: number): { socket: net.Socket; reply: Promise<string> } {
  const socket = net.connect(port, '127.0.0.1', () => {
    socket.write('POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\nthe first bytes of a long body');
  });
  const reply = new Promise<string>((resolve) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.on('error', () => resolve(text));
    socket.on('close', () => resolve(text));
  });
  return { socket, reply };
}

async function serverState(id: string) {
  const state = await t.harness!.control.getState();
  return state.clusters[0]!.servers.find((s) => s.id === id)!;
}

describe('stalled uploads', () => {
  it('answer 408 to the client and cost a healthy server nothing: no health failure, no lost sessions', async () => {
    t.backends = await startBackends('a', 'b');
    t.harness = await startGateway([
      {
        id: 'web', name: 'Web',
        // A backend timeout shorter than the client's: the stall must still be put down to the client.
        requestTimeoutSec: 1,
        clientBodyIdleTimeoutSec: 2,
        healthCheck: { type: 'tcp', intervalSec: 3600, unhealthyAfter: 2 },
        servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }, { id: 'b', name: 'B', url: t.backends[1]!.url }],
      },
    ]);
    const users = Array.from({ length: 4 }, () => new User(t.harness!.url));
    const homes = [];
    for (const user of users) homes.push((await user.get('/')).backend);

    const uploads = [0, 1, 2].map(() => stalledUpload(t.harness!.port));
    const replies = await Promise.all(uploads.map((u) => u.reply));
    for (const reply of replies) {
      expect(reply).toMatch(/^HTTP\/1\.1 408 /);
      expect(reply).toContain('The request body stopped arriving for 2 s');
    }

    for (const id of ['a', 'b']) {
      const server = await serverState(id);
      expect(server.state).toBe('active');
      expect(server.health.consecutiveFailures).toBe(0);
      expect(server.errors).toBe(0);
      expect(server.inflight).toBe(0);
    }
    expect(t.harness.events.filter((e) => e.type === 'offline')).toEqual([]);
    for (const [i, user] of users.entries()) {
      const reply = await user.get('/after');
      expect(reply.status).toBe(200);
      expect(reply.backend).toBe(homes[i]);
      expect(reply.headers['set-cookie']?.some((line) => line.startsWith('sb-web='))).toBeFalsy();
    }
  });

  it('still answer 504 and count a failure when the backend is the one that is silent after the whole body', async () => {
    t.backends = await startBackends('a');
    t.backends[0]!.handlers.set('/silent', (req) => req.resume());
    t.harness = await startGateway([
      {
        id: 'web', name: 'Web', requestTimeoutSec: 1, clientBodyIdleTimeoutSec: 5,
        healthCheck: { type: 'tcp', intervalSec: 3600, unhealthyAfter: 5 },
        servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }],
      },
    ]);
    const reply = await request(`${t.harness.url}/silent`, { method: 'POST', body: 'complete body' });
    expect(reply.status).toBe(504);
    expect((await serverState('a')).health.consecutiveFailures).toBe(1);
  });

  it('from one address cannot take every connection to a server: its other users get answers', async () => {
    t.backends = await startBackends('a');
    t.harness = await startGateway([
      {
        id: 'web', name: 'Web',
        healthCheck: { type: 'tcp', intervalSec: 3600 },
        servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }],
      },
    ]);
    const uploads = Array.from({ length: 270 }, () => stalledUpload(t.harness!.port));
    try {
      // Beyond the per-address upload limit (64 by default), uploads are refused at once.
      const refused = await Promise.all(uploads.slice(64).map((u) => u.reply));
      for (const reply of refused) expect(reply).toMatch(/^HTTP\/1\.1 429 [^]*64 uploads in progress/);
      await eventually(async () => expect((await serverState('a')).inflight).toBe(64));

      const others = await Promise.all(Array.from({ length: 20 }, () => request(`${t.harness!.url}/page`, { freshConnection: true })));
      for (const reply of others) expect(reply.status).toBe(200);
    } finally {
      for (const upload of uploads) upload.socket.destroy();
    }
    await eventually(async () => expect((await serverState('a')).inflight).toBe(0));
  });

  it('bound the wait for a busy server\'s connections: a 503 saying so instead of no answer', async () => {
    t.backends = await startBackends('a');
    t.harness = await startGateway(
      [
        {
          id: 'web', name: 'Web', backendConnectionWaitSec: 1,
          healthCheck: { type: 'tcp', intervalSec: 3600, unhealthyAfter: 1 },
          servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }],
        },
      ],
      { limits: { uploadsPerClient: 0, connectionsPerClient: 0, sessionsPerClient: 0 } },
    );
    const uploads = Array.from({ length: 256 }, () => stalledUpload(t.harness!.port));
    try {
      await eventually(async () => expect((await serverState('a')).inflight).toBe(256));
      const reply = await request(`${t.harness.url}/page`, { freshConnection: true });
      expect(reply.status).toBe(503);
      expect(reply.body).toContain('All 256 connections to server "A" are busy');
      const server = await serverState('a');
      expect(server.state).toBe('active');
      expect(server.health.consecutiveFailures).toBe(0);
    } finally {
      for (const upload of uploads) upload.socket.destroy();
    }
  });

  it('limit the connections one address may hold open: the next is answered 429 and closed', async () => {
    t.backends = await startBackends('a');
    t.harness = await startGateway(
      [{ id: 'web', name: 'Web', healthCheck: { type: 'tcp', intervalSec: 3600 }, servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }] }],
      { limits: { connectionsPerClient: 3 } },
    );
    const held = await Promise.all(
      [0, 1, 2].map(() => new Promise<net.Socket>((resolve) => {
        const socket = net.connect(t.harness!.port, '127.0.0.1', () => resolve(socket));
      })),
    );
    try {
      const refused = await request(`${t.harness.url}/`, { freshConnection: true });
      expect(refused.status).toBe(429);
      expect(refused.body).toContain('already has 3 connections open');
      expect(refused.headers.connection).toBe('close');
      held[0]!.destroy();
      await eventually(async () => expect((await request(`${t.harness!.url}/`, { freshConnection: true })).status).toBe(200));
    } finally {
      for (const socket of held) socket.destroy();
    }
  });
});
