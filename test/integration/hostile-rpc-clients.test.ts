/** Outlook Anywhere connections from clients that do not play along: each must still be let go of. */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startGateway } from '../support/gateway-harness.js';
import { stopAfterEach } from '../support/fixtures.js';
import { ExchangeBackend } from '../support/exchange-backend.js';

const t = stopAfterEach();
const exchangeBackends: ExchangeBackend[] = [];
const clientSockets: net.Socket[] = [];
afterEach(async () => {
  for (const socket of clientSockets.splice(0)) socket.destroy();
  await Promise.all(exchangeBackends.splice(0).map((backend) => backend.stop()));
});

/** A client that never closes its side of the connection: it keeps the socket open after the gateway's FIN. */
function halfOpenClient(port: number): { socket: net.Socket; received: () => string; closed: () => boolean } {
  const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  let received = '';
  let closed = false;
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => (received += chunk));
  socket.on('close', () => (closed = true));
  socket.on('error', () => undefined);
  clientSockets.push(socket);
  return { socket, received: () => received, closed: () => closed };
}

/**
 * Whether the gateway has let go of its end: a half-open client learns so only when it writes, and
 * the gateway's closed socket answers with a reset.
 */
async function expectGatewayLetGo(client: ReturnType<typeof halfOpenClient>): Promise<void> {
  await eventually(() => {
    if (!client.closed()) client.socket.write('x');
    expect(client.closed()).toBe(true);
  }, 3000);
}

async function startExchangeGateway(): Promise<void> {
  const backend = await new ExchangeBackend().start();
  exchangeBackends.push(backend);
  t.harness = await startGateway([{ id: 'exchange', name: 'Exchange', servers: [{ id: 'mbx1', name: 'Mailbox 1', url: backend.url }] }]);
}

async function server() {
  return (await t.harness!.control.getState()).clusters[0]!.servers[0]!;
}

describe('Hostile RPC over HTTP clients', () => {
  it('counts an answered RPC request as finished while its connection stays open for the next', async () => {
    await startExchangeGateway();
    const client = halfOpenClient(t.harness!.port);
    const request = 'RPC_IN_DATA /rpc/rpcproxy.dll HTTP/1.1\r\nHost: mail.test\r\nContent-Length: 0\r\n\r\n';
    client.socket.write(request);
    await eventually(() => expect(client.received()).toContain('RPC_IN_DATA on connection'));
    // An in-flight request keeps a server at capacity 0 draining: an answered one must not count.
    await eventually(async () => expect(await server()).toMatchObject({ requests: 1, inflight: 0 }), 3000);
    client.socket.write(request);
    await eventually(() => expect(client.received().match(/RPC_IN_DATA on connection/g)).toHaveLength(2));
    await eventually(async () => expect(await server()).toMatchObject({ requests: 2, inflight: 0 }), 3000);
    expect(client.closed()).toBe(false);
  });

  it('closes an RPC connection it answered with Connection: close, and lets its pin go, though the client never closes', async () => {
    await startExchangeGateway();
    const client = halfOpenClient(t.harness!.port);
    client.socket.write(
      'RPC_IN_DATA /rpc/rpcproxy.dll HTTP/1.1\r\nHost: mail.test\r\nContent-Length: 0\r\nConnection: close\r\n' +
        'Authorization: NTLM TlRMTVNTUAABAAAAB4IIAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n',
    );
    await eventually(() => expect(client.received()).toContain('RPC_IN_DATA on connection'));
    // A pinned connection keeps a server at capacity 0 draining: it must go with the client connection.
    await eventually(async () => expect(await server()).toMatchObject({ pinnedConnections: 0, inflight: 0 }), 3000);
    await expectGatewayLetGo(client);
  });

  it('closes an RPC connection after refusing a request it cannot read, though the client never closes', async () => {
    await startExchangeGateway();
    const client = halfOpenClient(t.harness!.port);
    client.socket.write('RPC_IN_DATA /rpc HTTP/1.1\r\nHost: mail.test\r\nTransfer-Encoding: chunked\r\n\r\n');
    await eventually(() => expect(client.received()).toContain('400 Bad Request'));
    await expectGatewayLetGo(client);
  });
});
