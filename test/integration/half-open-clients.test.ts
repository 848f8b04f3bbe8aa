/**
 * Clients that keep their side of the connection open after the gateway has said its last word:
 * a refused upgrade or CONNECT leaves a socket no server timeout watches, so the gateway must close
 * it itself or any client could pile up open sockets with one short request each.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startGateway } from '../support/gateway-harness.js';
import { stopAfterEach } from '../support/fixtures.js';
import { HalfOpenClient, destroyHalfOpenClients } from '../support/half-open-client.js';
import { startBackends } from '../support/test-backend.js';

const t = stopAfterEach();
afterEach(destroyHalfOpenClients);

/** Sends `request` as a client that keeps its own side open whatever happens, and waits for the answer's head. */
async function sendAndStayOpen(port: number, request: string): Promise<HalfOpenClient> {
  const client = new HalfOpenClient(port);
  client.socket.write(request, 'latin1');
  await eventually(() => expect(client.received).toMatch(/^HTTP\/1\.1 \d{3} .*\r\n\r\n/s));
  return client;
}

async function startOneBackendGateway(): Promise<number> {
  const [backend] = await startBackends('app1');
  t.backends = [backend!];
  t.harness = await startGateway([{ id: 'app', name: 'App', servers: [{ id: 'app1', name: 'App 1', url: backend!.url }] }]);
  return t.harness.port;
}

describe('Half-open clients', () => {
  it('closes the socket after refusing an upgrade to another protocol', async () => {
    const port = await startOneBackendGateway();
    const answer = await sendAndStayOpen(port, 'GET / HTTP/1.1\r\nHost: app.test\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n');
    expect(answer.received).toMatch(/^HTTP\/1\.1 501 /);
    await answer.expectGatewayLetGo();
  });

  it('closes the socket after refusing a CONNECT tunnel', async () => {
    const port = await startOneBackendGateway();
    const answer = await sendAndStayOpen(port, 'CONNECT app.test:443 HTTP/1.1\r\nHost: app.test:443\r\n\r\n');
    expect(answer.received).toMatch(/^HTTP\/1\.1 501 /);
    await answer.expectGatewayLetGo();
  });

  it('closes the socket after refusing a WebSocket upgrade that is not a GET', async () => {
    const port = await startOneBackendGateway();
    const answer = await sendAndStayOpen(port, 'POST / HTTP/1.1\r\nHost: app.test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nContent-Length: 0\r\n\r\n');
    expect(answer.received).toMatch(/^HTTP\/1\.1 400 /);
    await answer.expectGatewayLetGo();
  });
});

describe('Half-open WebSocket clients', () => {
  it('closes a WebSocket the backend has closed, and stops counting it, though the client never closes', async () => {
    const [backend] = await startBackends('app1');
    t.backends = [backend!];
    t.harness = await startGateway([{ id: 'app', name: 'App', servers: [{ id: 'app1', name: 'App 1', url: backend!.url }] }]);
    const answer = await sendAndStayOpen(
      t.harness.port,
      'GET /socket HTTP/1.1\r\nHost: app.test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
        'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    expect(answer.received).toMatch(/^HTTP\/1\.1 101 /);
    const server = async () => (await t.harness!.control.getState()).clusters[0]!.servers[0]!;
    expect((await server()).websockets).toBe(1);
    // The backend goes away; the gateway passes the close on, and the client does not answer it.
    await backend!.stop();
    await eventually(async () => expect((await server()).websockets).toBe(0), 3000);
    await answer.expectGatewayLetGo();
  });
});
