import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startGateway } from '../support/gateway-harness.js';
import { stopAfterEach } from '../support/fixtures.js';
import { ExchangeBackend } from '../support/exchange-backend.js';
import { startBackends } from '../support/test-backend.js';

const t = stopAfterEach();
const exchangeBackends: ExchangeBackend[] = [];
const clientSockets: net.Socket[] = [];
afterEach(async () => {
  for (const socket of clientSockets.splice(0)) socket.destroy();
  await Promise.all(exchangeBackends.splice(0).map((backend) => backend.stop()));
});

const ONE_GIGABYTE = 1024 * 1024 * 1024;

/** A raw client connection that keeps everything it receives. */
class RawClient {
  received = '';
  closed = false;
  readonly socket: net.Socket;

  constructor(port: number) {
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.setEncoding('latin1');
    this.socket.on('data', (chunk: string) => (this.received += chunk));
    this.socket.on('close', () => (this.closed = true));
    this.socket.on('error', () => undefined);
    clientSockets.push(this.socket);
  }

  send(text: string): void {
    this.socket.write(text, 'latin1');
  }

  async waitFor(text: string, timeoutMs = 5000): Promise<void> {
    await eventually(() => expect(this.received).toContain(text), timeoutMs);
  }
}

async function startExchangeGateway(cluster: { requestTimeoutSec?: number; sessionTimeoutSec?: number; tentativeSessionSec?: number } = {}, routes?: object[]): Promise<ExchangeBackend> {
  const backend = await new ExchangeBackend().start();
  exchangeBackends.push(backend);
  t.harness = await startGateway(
    [{ id: 'exchange', name: 'Exchange', servers: [{ id: 'mbx1', name: 'Mailbox 1', url: backend.url }], ...cluster }],
    routes ? { routes: routes as never } : {},
  );
  return backend;
}

async function server() {
  return (await t.harness!.control.getState()).clusters[0]!.servers[0]!;
}

const rpcHead = (method: string, channel: string, length: number, extra = ''): string =>
  `${method} /rpc/rpcproxy.dll?ch=${channel} HTTP/1.1\r\nHost: mail.test\r\nContent-Length: ${length}\r\n${extra}\r\n`;

describe('Exchange traffic', () => {
  it('carries Outlook Anywhere RPC channels, streaming both ways well past the request timeout', async () => {
    const backend = await startExchangeGateway({ requestTimeoutSec: 1 });
    const out = new RawClient(t.harness!.port);
    out.send(rpcHead('RPC_OUT_DATA', 'a', 76) + 'x'.repeat(76));
    await out.waitFor('CONN/A3;');
    expect(out.received.toLowerCase()).toContain(`content-length: ${ONE_GIGABYTE}\r\n`);
    expect(out.received).toMatch(/^HTTP\/1\.1 200 Success\r\n/);

    const into = new RawClient(t.harness!.port);
    into.send(rpcHead('RPC_IN_DATA', 'a', ONE_GIGABYTE));
    const startedAt = Date.now();
    const sent: string[] = [];
    for (let i = 0; i < 12; i++) {
      const packet = `packet-${i};`;
      sent.push(packet);
      into.send(packet);
      await new Promise((resolve) => setTimeout(resolve, 250));
      if (i === 6) {
        // Both channels are requests in flight for the whole time they are open.
        expect((await server()).inflight).toBe(2);
      }
    }
    await out.waitFor(sent.join(''));
    expect(Date.now() - startedAt).toBeGreaterThan(2500);
    expect(out.closed || into.closed).toBe(false);
    expect(backend.inBytes.get('a')).toBe(sent.join('').length);
    expect(backend.requests.map((r) => r.method)).toEqual(['RPC_OUT_DATA', 'RPC_IN_DATA']);
    expect(backend.requests[1]!.headers['content-length']).toBe(`${ONE_GIGABYTE}`);
    expect(backend.requests[1]!.headers['x-forwarded-for']).toBe('127.0.0.1');

    out.socket.destroy();
    into.socket.destroy();
    await eventually(async () => expect((await server()).inflight).toBe(0));
  });

  it('keeps a draining server draining while an RPC channel is open', async () => {
    // Between its packets a channel may stay silent for minutes: its route allows for that.
    // The channel never returns its session cookie: that tentative session holds the server for tentativeSessionSec.
    await startExchangeGateway({ requestTimeoutSec: 1, sessionTimeoutSec: 1, tentativeSessionSec: 1 }, [
      { host: '*', path: '/rpc/', cluster: 'exchange', requestTimeoutSec: 3600 },
    ]);
    const out = new RawClient(t.harness!.port);
    out.send(rpcHead('RPC_OUT_DATA', 'b', 0));
    await out.waitFor('200 Success');
    await t.harness!.control.as('dashboard').updateServer('exchange', 'mbx1', { capacity: 0 });
    // The channel's session expires after a second; the open channel still holds the server.
    await eventually(async () => expect((await server()).sessions).toBe(0), 3000);
    expect(await server()).toMatchObject({ state: 'draining', inflight: 1 });
    out.socket.destroy();

    await eventually(async () => expect((await server()).state).toBe('drained'));
  });

  it('reads several requests on one RPC connection, and pins it once it signs in with NTLM', async () => {
    const backend = await startExchangeGateway();
    const client = new RawClient(t.harness!.port);
    const others = Array.from({ length: 4 }, () => new RawClient(t.harness!.port));
    client.send(rpcHead('RPC_IN_DATA', 'c', 0, 'Authorization: NTLM TlRMTVNTUAABAAAAB4IIAAAAAAAAAAAAAAAAAAAAAAA=\r\n'));
    await client.waitFor('RPC_IN_DATA on connection');
    for (const other of others) other.send(rpcHead('RPC_IN_DATA', 'o', 0));
    await Promise.all(others.map((other) => other.waitFor('RPC_IN_DATA on connection')));
    client.send(rpcHead('RPC_IN_DATA', 'c', 0, 'Authorization: NTLM TlRMTVNTUAADAAAA\r\n'));
    await eventually(() => expect(client.received.match(/RPC_IN_DATA on connection \d+/g)).toHaveLength(2));
    const connections = client.received.match(/on connection (\d+)/g)!;
    expect(connections[0]).toBe(connections[1]);
    const pinned = Number(/\d+/.exec(connections[0]!)![0]);
    expect(backend.requests.filter((request) => request.connection === pinned).map((r) => r.url)).toEqual([
      '/rpc/rpcproxy.dll?ch=c',
      '/rpc/rpcproxy.dll?ch=c',
    ]);
    expect((await server()).pinnedConnections).toBe(1);
  });

  it('refuses RPC requests it cannot frame exactly, with a 400', async () => {
    await startExchangeGateway();
    const cases = [
      'RPC_IN_DATA /rpc HTTP/1.1\r\nHost: mail.test\r\nTransfer-Encoding: chunked\r\n\r\n',
      'RPC_IN_DATA /rpc HTTP/1.1\r\nHost: mail.test\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n',
      'RPC_IN_DATA /rpc HTTP/1.1\r\nHost: mail.test\r\n\r\n',
      'RPC_IN_DATA /rpc HTTP/1.1\r\nHost: mail.test\nContent-Length: 0\r\n\r\n',
      'RPC_IN_DATA /rpc HTTP/1.1\r\nHost: mail.test\r\nContent-Length: -1\r\n\r\n',
      'RPC_IN_DATA /rpc HTTP/1.1\r\nHost: mail.test\r\n Content-Length: 0\r\n\r\n',
      'RPC_OUT_DATA rpc HTTP/1.1\r\nHost: mail.test\r\nContent-Length: 0\r\n\r\n',
    ];
    for (const text of cases) {
      const client = new RawClient(t.harness!.port);
      client.send(text);
      await client.waitFor('400 Bad Request');
      await eventually(() => expect(client.closed).toBe(true));
    }
    expect(exchangeBackends[0]!.requests).toEqual([]);
  });

  it('lets a long poll wait as long as its route allows, while other paths keep the cluster timeout', async () => {
    const [backend] = await startBackends('cas');
    t.backends = [backend!];
    backend!.handlers.set('/Microsoft-Server-ActiveSync', (_req, res) => {
      setTimeout(() => res.end('ping answered'), 2500);
    });
    t.harness = await startGateway([{ id: 'mail', name: 'Mail', requestTimeoutSec: 1, servers: [{ id: 'cas', name: 'CAS', url: backend!.url }] }], {
      routes: [
        { host: '*', path: '/Microsoft-Server-ActiveSync', cluster: 'mail', requestTimeoutSec: 3600 },
        { host: '*', path: '/', cluster: 'mail' },
      ],
    });
    const get = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        http
          .get(`${t.harness!.url}${path}`, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (body += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          })
          .on('error', reject);
      });
    const poll = get('/Microsoft-Server-ActiveSync');
    await eventually(async () => expect((await server()).inflight).toBe(1));
    expect(await poll).toEqual({ status: 200, body: 'ping answered' });
    backend!.handlers.set('/slow', (_req, res) => {
      setTimeout(() => res.end('too late'), 2500);
    });
    expect((await get('/slow')).status).toBe(504);
  });
});
