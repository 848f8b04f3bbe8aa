/**
 * Clients that leave at every stage of a request through the undici pool, and uploads that stall
 * on either side: each ends with nothing in flight, no backend connection left holding a
 * half-sent request, and the delay put down to whoever caused it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http2 from 'node:http2';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startGateway } from '../support/gateway-harness.js';
import { stopAfterEach } from '../support/fixtures.js';
import { expectNothingUnderWay } from '../support/backend-connection-checks.js';
import { exchange, RawConnection } from '../support/raw-http.js';
import { okResponse, ScriptedBackend, type Script } from '../support/scripted-backend.js';
import { closeServer, listenOnLoopback } from '../support/loopback-server.js';
import { makeCertificate } from '../support/test-certificates.js';
import { freePort } from '../../demo/free-port.js';

const t = stopAfterEach();
let backend: ScriptedBackend | undefined;
const rawServers: net.Server[] = [];
const rawSockets = new Set<net.Socket>();
afterEach(async () => {
  await expectNothingUnderWay(t.harness);
  await backend?.stop();
  backend = undefined;
  for (const socket of rawSockets) socket.destroy();
  await Promise.all(rawServers.splice(0).map((server) => closeServer(server)));
});

const NTLM_NEGOTIATE = 'TlRMTVNTUAABAAAAB4IIAAAAAAAAAAAAAAAAAAAAAAA=';

async function gatewayInFront(script: Script, cluster: Record<string, unknown> = {}, extra: Parameters<typeof startGateway>[1] = {}): Promise<void> {
  backend = await new ScriptedBackend(script).start();
  await gatewayTo(backend.url, cluster, extra);
}

async function gatewayTo(url: string, cluster: Record<string, unknown> = {}, extra: Parameters<typeof startGateway>[1] = {}): Promise<void> {
  t.harness = await startGateway(
    [{ id: 'web', name: 'Web', ...cluster, healthCheck: { type: 'tcp', intervalSec: 3600, unhealthyAfter: 5 }, servers: [{ id: 'a', name: 'A', url }] }],
    extra,
  );
}

/** A raw backend of the test's own making, for behaviour the scripted one cannot show (not reading). */
async function rawBackend(onConnection: (socket: net.Socket) => void): Promise<string> {
  const server = net.createServer((socket) => {
    rawSockets.add(socket);
    socket.once('close', () => rawSockets.delete(socket));
    socket.on('error', () => {});
    onConnection(socket);
  });
  rawServers.push(server);
  return `http://127.0.0.1:${await listenOnLoopback(server)}`;
}

async function serverA() {
  return (await t.harness!.control.getState()).clusters[0]!.servers[0]!;
}

/** Once nothing is in flight: the server counts no error and no health failure for what happened. */
async function expectServerUnharmed() {
  await eventually(async () => expect((await serverA()).inflight).toBe(0));
  const server = await serverA();
  expect(server.errors).toBe(0);
  expect(server.health.consecutiveFailures).toBe(0);
  return server;
}

const answerWithBodyLength: Script = (request, socket) => socket.write(okResponse(`${request.url} got ${request.body.length} bytes`));

describe('a client that leaves', () => {
  it('mid-upload: the half-sent request is not completed at the backend, its connection is closed, nothing stays in flight', async () => {
    await gatewayInFront(answerWithBodyLength);
    const connection = await RawConnection.open(t.harness!.port);
    connection.write('POST /upload HTTP/1.1\r\nHost: portal.test\r\nContent-Length: 100000\r\n\r\nthe first bytes');
    await eventually(() => expect(backend!.openConnections).toBe(1));
    connection.close();
    // (undici may open a fresh idle connection in its place.)
    await eventually(() => expect(backend!.open[0]).toBe(false));
    await eventually(async () => expect((await serverA()).inflight).toBe(0));
    const next = await exchange(t.harness!.port, 'GET /next HTTP/1.1\r\nHost: portal.test\r\n\r\n');
    expect(next.body).toBe('/next got 0 bytes');
    expect(backend!.requests.map((r) => r.url)).toEqual(['/next']);
    expect(await serverA()).toMatchObject({ errors: 0, inflight: 0 });
  });

  it('mid-download: the backend connection is closed, no error is counted against the server', async () => {
    let downloads = 0;
    await gatewayInFront((_request, socket) => {
      downloads++;
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n');
      const timer = setInterval(() => socket.write(Buffer.alloc(16_384, 97)), 2);
      socket.once('close', () => clearInterval(timer));
    });
    const connection = await RawConnection.open(t.harness!.port);
    connection.write('GET /download HTTP/1.1\r\nHost: portal.test\r\n\r\n');
    await eventually(() => expect(connection.unread.length).toBeGreaterThan(100_000));
    connection.close();
    await eventually(() => expect(backend!.open[0]).toBe(false));
    await expectServerUnharmed();
    expect(downloads).toBe(1);
  });

  it('while its request waits for one of 256 busy connections: it is skipped, and everyone else is answered', async () => {
    const held: net.Socket[] = [];
    await gatewayInFront(
      (request, socket) => (request.url === '/hold' ? held.push(socket) : answerWithBodyLength(request, socket)),
      { backendConnectionWaitSec: 5 },
      { limits: { uploadsPerClient: 0, connectionsPerClient: 0, sessionsPerClient: 0 } },
    );
    const holders = await Promise.all(
      Array.from({ length: 256 }, async () => {
        const connection = await RawConnection.open(t.harness!.port);
        connection.write('GET /hold HTTP/1.1\r\nHost: portal.test\r\n\r\n');
        return connection;
      }),
    );
    try {
      await eventually(() => expect(held).toHaveLength(256));
      const waiting = await RawConnection.open(t.harness!.port);
      waiting.write('POST /waited HTTP/1.1\r\nHost: portal.test\r\nContent-Length: 5\r\n\r\nhello');
      await eventually(async () => expect((await serverA()).inflight).toBe(257));
      waiting.close();
      await eventually(async () => expect((await serverA()).inflight).toBe(256));
      for (const socket of held) socket.write(okResponse('released'));
      const answers = await Promise.all(holders.map((connection) => connection.response()));
      expect(answers.every((answer) => answer.body === 'released')).toBe(true);
    } finally {
      for (const connection of holders) connection.close();
    }
    await eventually(async () => expect((await serverA()).inflight).toBe(0));
    expect((await exchange(t.harness!.port, 'GET /after HTTP/1.1\r\nHost: portal.test\r\n\r\n')).body).toBe('/after got 0 bytes');
    expect(backend!.requests.filter((r) => r.url === '/waited')).toEqual([]);
    expect(await serverA()).toMatchObject({ errors: 0, inflight: 0 });
  });

  it('over HTTP/2, ending its stream short of its content-length: the server stays online with no error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-departing-'));
    const cert = makeCertificate(dir, { commonName: 'portal.test' });
    const port = await freePort();
    backend = await new ScriptedBackend(answerWithBodyLength).start();
    t.harness = await startGateway(
      [{ id: 'web', name: 'Web', healthCheck: { type: 'tcp', intervalSec: 3600, unhealthyAfter: 2 }, servers: [{ id: 'a', name: 'A', url: backend.url }] }],
      { listeners: [{ port, host: '127.0.0.1', tls: { certPath: cert.certPath, keyPath: cert.keyPath, http2: true } }] },
    );
    const client = http2.connect(`https://127.0.0.1:${port}`, { ca: readFileSync(cert.certPath), servername: 'portal.test' });
    client.on('error', () => {});
    const post = (headers: http2.OutgoingHttpHeaders, body: string): Promise<number> =>
      new Promise((resolve) => {
        const stream = client.request({ ':method': 'POST', ':path': '/upload', ':authority': 'portal.test', ...headers });
        let status = 0;
        stream.on('response', (response) => (status = Number(response[':status'])));
        stream.on('error', () => {});
        stream.resume();
        stream.on('close', () => resolve(status));
        stream.end(body);
      });
    try {
      for (let i = 0; i < 3; i++) {
        // Node's HTTP/2 server resets a stream whose DATA falls short of, or runs past, its content-length.
        await post({ 'content-length': '500' }, 'hello');
        await post({ 'content-length': '5' }, 'hello and more');
      }
      expect((await expectServerUnharmed()).state).toBe('active');
      expect(await post({}, 'whole')).toBe(200);
    } finally {
      client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('while its request is sent again after the keep-alive race: the retry\'s connection is closed, nothing counted against the server', async () => {
    await gatewayInFront((request, socket) => {
      // The first connection answers once, then closes as the gateway reuses it; the retry is held.
      if (request.connection === 0 && request.index === 1) socket.destroy();
      else if (request.url !== '/held') answerWithBodyLength(request, socket);
    });
    expect((await exchange(t.harness!.port, 'GET /first HTTP/1.1\r\nHost: portal.test\r\n\r\n')).body).toBe('/first got 0 bytes');
    const connection = await RawConnection.open(t.harness!.port);
    connection.write('GET /held HTTP/1.1\r\nHost: portal.test\r\n\r\n');
    await eventually(() => expect(backend!.connections[1]?.map((r) => r.url)).toEqual(['/held']));
    connection.close();
    await eventually(() => expect(backend!.open[1]).toBe(false));
    await expectServerUnharmed();
  });

  it('with a Windows-authenticated connection: its own backend connection is closed with it', async () => {
    await gatewayInFront((request, socket) => socket.write(okResponse(`connection ${request.connection}`)));
    const connection = await RawConnection.open(t.harness!.port);
    connection.write(`GET /app HTTP/1.1\r\nHost: portal.test\r\nAuthorization: NTLM ${NTLM_NEGOTIATE}\r\n\r\n`);
    expect((await connection.response()).body).toBe('connection 0');
    expect((await serverA()).pinnedConnections).toBe(1);
    expect(backend!.openConnections).toBe(1);
    connection.close();
    await eventually(async () => expect((await serverA()).pinnedConnections).toBe(0));
    // Well before the pinned connection's own idle timeout of two minutes.
    await eventually(() => expect(backend!.open).toEqual([false]), 3000);
  });
});

describe('a client that stops reading its answer', () => {
  for (const compression of [false, true]) {
    it(`is cut off after requestTimeoutSec, freeing the backend connection with no error counted (compression ${compression ? 'on' : 'off'})`, async () => {
      const size = 50_000_000;
      await gatewayInFront(
        (_request, socket) => {
          socket.write(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${size}\r\n\r\n`);
          let sent = 0;
          // Random bytes: a compressor cannot shrink them into the client's socket buffers.
          const pump = (): void => {
            while (!socket.destroyed && sent < size && socket.write(randomBytes(65_536))) sent += 65_536;
          };
          socket.on('drain', pump);
          pump();
        },
        { requestTimeoutSec: 1, compression: { enabled: compression } },
      );
      const client = net.connect(t.harness!.port, '127.0.0.1');
      rawSockets.add(client);
      client.on('error', () => {});
      client.pause();
      client.write('GET /big HTTP/1.1\r\nHost: portal.test\r\nAccept-Encoding: gzip\r\n\r\n');
      await eventually(async () => expect((await serverA()).inflight).toBe(1));
      await eventually(() => expect(backend!.open[0]).toBe(false), 5000);
      await expectServerUnharmed();
    });
  }
});

describe('a slow upload', () => {
  it('paused longer than requestTimeoutSec but within clientBodyIdleTimeoutSec is the client\'s time: answered, not a 504', async () => {
    await gatewayInFront(answerWithBodyLength, { requestTimeoutSec: 1, clientBodyIdleTimeoutSec: 5 });
    const connection = await RawConnection.open(t.harness!.port);
    try {
      connection.write('POST /slow HTTP/1.1\r\nHost: portal.test\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n');
      await new Promise((resolve) => setTimeout(resolve, 2000));
      connection.write('5\r\nworld\r\n0\r\nX-Checksum: 1\r\n\r\n');
      const reply = await connection.response();
      expect(reply.status).toBe(200);
      expect(reply.body).toBe('/slow got 10 bytes');
    } finally {
      connection.close();
    }
    expect(await serverA()).toMatchObject({ errors: 0 });
    // One well-framed request reached the backend (trailers are not passed on).
    expect(backend!.requests).toHaveLength(1);
    expect(backend!.requests[0]!.head).toMatch(/\r\ntransfer-encoding: chunked$/);
  });

  it('that the backend stops reading is the backend\'s delay: 504 after clientBodyIdleTimeoutSec, and a health failure', async () => {
    const url = await rawBackend((socket) => socket.pause());
    await gatewayTo(url, { requestTimeoutSec: 1, clientBodyIdleTimeoutSec: 2 });
    const socket = net.connect(t.harness!.port, '127.0.0.1');
    rawSockets.add(socket);
    socket.on('error', () => {});
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.once('connect', () => {
      socket.write('POST /upload HTTP/1.1\r\nHost: portal.test\r\nContent-Length: 200000000\r\n\r\n');
      const chunk = Buffer.alloc(65_536, 120);
      const pump = (): void => {
        while (!socket.destroyed && socket.write(chunk));
      };
      socket.on('drain', pump);
      pump();
    });
    const started = Date.now();
    await eventually(() => expect(received).toMatch(/^HTTP\/1\.1 504 /), 10_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    socket.destroy();
    const server = await serverA();
    expect(server.health.consecutiveFailures).toBe(1);
    await eventually(async () => expect((await serverA()).inflight).toBe(0));
  });
});
