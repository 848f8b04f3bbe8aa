/**
 * Requests that ask for another protocol or name their host in the target: each gets an answer,
 * never a silently closed socket or a hang.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { stopAfterEach } from '../support/fixtures.js';
import { startGateway } from '../support/gateway-harness.js';
import { exchange } from '../support/raw-http.js';
import { startBackends } from '../support/test-backend.js';
import { closeServer, listenOnLoopback } from '../support/loopback-server.js';

const t = stopAfterEach();

async function oneBackend(): Promise<number> {
  t.backends = await startBackends('a');
  t.harness = await startGateway([{ id: 'web', name: 'Web', servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }] }]);
  return t.harness.port;
}

describe('a backend answering 101 to a plain request', () => {
  for (const [label, answer] of [
    ['with Upgrade headers', 'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n'],
    ['without them', 'HTTP/1.1 101 Switching Protocols\r\n\r\n'],
  ] as const) {
    it(`gets the client a 502 at once (${label})`, async () => {
      const rogue = net.createServer((socket) => {
        socket.on('error', () => {});
        socket.once('data', () => socket.write(answer));
      });
      await listenOnLoopback(rogue);
      try {
        const url = `http://127.0.0.1:${(rogue.address() as net.AddressInfo).port}`;
        t.harness = await startGateway([{ id: 'web', name: 'Web', requestTimeoutSec: 30, servers: [{ id: 'a', name: 'A', url }] }]);
        const reply = await exchange(t.harness.port, 'GET / HTTP/1.1\r\nHost: portal.test\r\n\r\n', { timeoutMs: 3000 });
        expect(reply.status).toBe(502);
        const state = await t.harness.control.getState();
        expect(state.clusters[0]!.servers[0]!.inflight).toBe(0);
      } finally {
        await closeServer(rogue);
      }
    });
  }
});

describe('upgrades and tunnels the gateway does not carry', () => {
  it('answers an Upgrade to h2c or an unknown protocol with 501 and says why', async () => {
    const port = await oneBackend();
    for (const protocol of ['h2c', 'foo/1.0', 'TLS/1.2']) {
      const reply = await exchange(port, `GET / HTTP/1.1\r\nHost: portal.test\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: ${protocol}\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n`);
      expect(reply.status, protocol).toBe(501);
      expect(reply.body).toContain('WebSocket upgrades only');
    }
    expect(t.backends[0]!.served).toBe(0);
  });

  it('answers a WebSocket upgrade that is not a GET with 400', async () => {
    const port = await oneBackend();
    const reply = await exchange(port, 'POST / HTTP/1.1\r\nHost: portal.test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
    expect(reply.status).toBe(400);
  });

  it('answers CONNECT with 501 and says why', async () => {
    const port = await oneBackend();
    const reply = await exchange(port, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    expect(reply.status).toBe(501);
    expect(reply.body).toContain('not a forward proxy');
    expect(t.backends[0]!.served).toBe(0);
  });

  it('still carries WebSockets, and screens their path like any request’s', async () => {
    const port = await oneBackend();
    const ws = new WebSocket(`ws://127.0.0.1:${port}/a/../socket`);
    const reply = await new Promise<string>((resolve, reject) => {
      ws.once('open', () => ws.send('ping'));
      ws.once('message', (data) => resolve(data.toString()));
      ws.once('error', reject);
    });
    ws.close();
    expect(reply).toBe('a:ping');
    const refused = new WebSocket(`ws://127.0.0.1:${port}/a%2Fsocket`);
    const error = await new Promise<Error>((resolve) => refused.once('error', resolve));
    expect(error.message).toContain('400');
  });
});

describe('absolute-form request targets (RFC 9112 §3.2.2)', () => {
  it('are routed by the host they name, not by Host, and forwarded in origin-form', async () => {
    t.backends = await startBackends('web', 'api');
    t.harness = await startGateway(
      [
        { id: 'web', name: 'Web', servers: [{ id: 'w', name: 'W', url: t.backends[0]!.url }] },
        { id: 'api', name: 'API', servers: [{ id: 'x', name: 'X', url: t.backends[1]!.url }] },
      ],
      { routes: [{ host: 'web.test', path: '/', cluster: 'web' }, { host: 'api.test', path: '/', cluster: 'api' }] },
    );
    const reply = await exchange(t.harness.port, 'GET http://API.test:8080/v1/../v2/users?id=7 HTTP/1.1\r\nHost: web.test\r\n\r\n');
    expect(reply.status).toBe(200);
    const echoed = JSON.parse(reply.body);
    expect(echoed).toMatchObject({ backend: 'api', url: '/v2/users?id=7' });
    expect(echoed.headers.host).toBe('API.test:8080');
    expect(echoed.headers['x-forwarded-host']).toBe('API.test:8080');
    const refused = await exchange(t.harness.port, 'GET ftp://api.test/ HTTP/1.1\r\nHost: web.test\r\n\r\n');
    expect(refused.status).toBe(400);
  });
});
