/** Outlook Anywhere connections from clients that do not play along: each must still be let go of. */
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startGateway } from '../support/gateway-harness.js';
import { stopAfterEach } from '../support/fixtures.js';
import { ExchangeBackend } from '../support/exchange-backend.js';
import { HalfOpenClient, destroyHalfOpenClients } from '../support/half-open-client.js';

const t = stopAfterEach();
const exchangeBackends: ExchangeBackend[] = [];
afterEach(async () => {
  destroyHalfOpenClients();
  await Promise.all(exchangeBackends.splice(0).map((backend) => backend.stop()));
});

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
    const client = new HalfOpenClient(t.harness!.port);
    const request = 'RPC_IN_DATA /rpc/rpcproxy.dll HTTP/1.1\r\nHost: mail.test\r\nContent-Length: 0\r\n\r\n';
    client.socket.write(request);
    await eventually(() => expect(client.received).toContain('RPC_IN_DATA on connection'));
    // An in-flight request keeps a server at capacity 0 draining: an answered one must not count.
    await eventually(async () => expect(await server()).toMatchObject({ requests: 1, inflight: 0 }), 3000);
    client.socket.write(request);
    await eventually(() => expect(client.received.match(/RPC_IN_DATA on connection/g)).toHaveLength(2));
    await eventually(async () => expect(await server()).toMatchObject({ requests: 2, inflight: 0 }), 3000);
    expect(client.closed).toBe(false);
  });

  it('closes an RPC connection it answered with Connection: close, and lets its pin go, though the client never closes', async () => {
    await startExchangeGateway();
    const client = new HalfOpenClient(t.harness!.port);
    client.socket.write(
      'RPC_IN_DATA /rpc/rpcproxy.dll HTTP/1.1\r\nHost: mail.test\r\nContent-Length: 0\r\nConnection: close\r\n' +
        'Authorization: NTLM TlRMTVNTUAABAAAAB4IIAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n',
    );
    await eventually(() => expect(client.received).toContain('RPC_IN_DATA on connection'));
    // A pinned connection keeps a server at capacity 0 draining: it must go with the client connection.
    await eventually(async () => expect(await server()).toMatchObject({ pinnedConnections: 0, inflight: 0 }), 3000);
    await client.expectGatewayLetGo();
  });

  it('closes an RPC connection after refusing a request it cannot read, though the client never closes', async () => {
    await startExchangeGateway();
    const client = new HalfOpenClient(t.harness!.port);
    client.socket.write('RPC_IN_DATA /rpc HTTP/1.1\r\nHost: mail.test\r\nTransfer-Encoding: chunked\r\n\r\n');
    await eventually(() => expect(client.received).toContain('400 Bad Request'));
    await client.expectGatewayLetGo();
  });
});
