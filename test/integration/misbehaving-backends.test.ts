/**
 * Backends that break HTTP/1.1 the ways real ones do, behind the gateway's pooled connections:
 * the client gets the answer or a clear error, no byte of a broken answer reaches the next user of
 * the connection, and nothing stays in flight.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startGateway } from '../support/gateway-harness.js';
import { stopAfterEach } from '../support/fixtures.js';
import { expectNothingUnderWay } from '../support/backend-connection-checks.js';
import { exchange, RawConnection } from '../support/raw-http.js';
import { okResponse, ScriptedBackend, type Script } from '../support/scripted-backend.js';

const t = stopAfterEach();
let backend: ScriptedBackend | undefined;
afterEach(async () => {
  await expectNothingUnderWay(t.harness);
  await backend?.stop();
  backend = undefined;
});

/** A gateway whose one server answers `/victim` properly and everything else as `misbehave` says. */
async function gatewayInFront(misbehave: Script, cluster: Record<string, unknown> = {}): Promise<void> {
  backend = await new ScriptedBackend((request, socket) => {
    if (request.url === '/victim') socket.write(okResponse(`victim ${request.connection}.${request.index}`));
    else misbehave(request, socket);
  }).start();
  t.harness = await startGateway([
    {
      id: 'web', name: 'Web', ...cluster,
      healthCheck: { type: 'tcp', intervalSec: 3600, unhealthyAfter: 5 },
      servers: [{ id: 'a', name: 'A', url: backend.url }],
    },
  ]);
}

async function serverA() {
  return (await t.harness!.control.getState()).clusters[0]!.servers[0]!;
}

async function get(path: string): Promise<{ status: number; body: string }> {
  const { status, body } = await exchange(t.harness!.port, `GET ${path} HTTP/1.1\r\nHost: portal.test\r\n\r\n`, { timeoutMs: 5000 });
  return { status, body };
}

/** Another user's request, over the pooled connection the attack used if the gateway kept it. */
async function expectVictimServed(): Promise<void> {
  const reply = await get('/victim');
  expect(reply.status).toBe(200);
  expect(reply.body).toMatch(/^victim \d+\.\d+$/);
}

describe('a backend answer that breaks HTTP/1.1', () => {
  const broken: [string, string][] = [
    ['Content-Length and Transfer-Encoding both', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n'],
    ['two different Content-Lengths', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 30\r\n\r\nhello'],
    ['a 101 to a request that asked for no upgrade', 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nLEAKED'],
    ['headers over 16 KB', okResponse('LEAKED', `X-Big: ${'a'.repeat(20_000)}\r\n`)],
    ['a header folded onto a second line', okResponse('LEAKED', 'X-Fold: a\r\n  Injected: b\r\n')],
    ['a bare CR in a header value', okResponse('LEAKED', 'X-Cr: a\rInjected: b\r\n')],
    ['bytes that are not HTTP', 'NOT HTTP AT ALL\r\n\r\nLEAKED'],
  ];
  for (const [name, answer] of broken) {
    it(`${name}: 502 for that request, its bytes reach nobody, the next user is served`, async () => {
      await gatewayInFront((_request, socket) => socket.write(answer));
      await expectVictimServed();
      const reply = await get('/attack');
      expect(reply.status).toBe(502);
      expect(reply.body).not.toContain('LEAKED');
      expect(await serverA()).toMatchObject({ errors: 1, inflight: 0 });
      await expectVictimServed();
      await expectVictimServed();
      // The broken connection was closed rather than used again.
      expect(backend!.connections[0]!.map((r) => r.url)).toEqual(['/victim', '/attack']);
    });
  }

  it('103 Early Hints before the answer: the answer is relayed', async () => {
    await gatewayInFront((_request, socket) => socket.write(`HTTP/1.1 103 Early Hints\r\nLink: </app.css>; rel=preload\r\n\r\n${okResponse('the page')}`));
    const reply = await get('/page');
    expect(reply).toEqual({ status: 200, body: 'the page' });
    expect(await serverA()).toMatchObject({ errors: 0, inflight: 0 });
  });

  it('an unsolicited 100 Continue: 502 with the reason in the server\'s health, and the next user is served', async () => {
    await gatewayInFront((_request, socket) => socket.write(`HTTP/1.1 100 Continue\r\n\r\n${okResponse('after continue')}`));
    const reply = await get('/form');
    expect(reply.status).toBe(502);
    const server = await serverA();
    expect(server).toMatchObject({ errors: 1, inflight: 0 });
    expect(server.health.consecutiveFailures).toBe(1);
    expect(server.health.lastError).toContain('100 Continue');
    await expectVictimServed();
  });

  it('more bytes than its Content-Length in one packet: the surplus is dropped with the connection, never the next answer', async () => {
    await gatewayInFront((_request, socket) => socket.write(okResponse('hello') + okResponse('LEAKED')));
    await expectVictimServed();
    expect(await get('/attack')).toEqual({ status: 200, body: 'hello' });
    await expectVictimServed();
    await expectVictimServed();
    expect(backend!.connections.map((c) => c.length)).toEqual([2, 2]);
  });

  it('a body on the answer to a HEAD: never read as the answer to the next request', async () => {
    await gatewayInFront((_request, socket) => socket.write(okResponse('LEAKED HEAD BODY')));
    const connection = await RawConnection.open(t.harness!.port);
    try {
      connection.write('HEAD /attack HTTP/1.1\r\nHost: portal.test\r\n\r\nGET /victim HTTP/1.1\r\nHost: portal.test\r\n\r\n');
      const head = await connection.response({ bodiless: true });
      expect(head.status).toBe(200);
      const next = await connection.response();
      expect(next.body).toMatch(/^victim \d+\.\d+$/);
      expect(connection.unread).toBe('');
    } finally {
      connection.close();
    }
    await expectVictimServed();
  });

  it('Connection: close, and an answer delimited by the close: both relayed, the next request goes over a new connection', async () => {
    await gatewayInFront((request, socket) => {
      if (request.url === '/closing') socket.end(okResponse('closing', 'Connection: close\r\n'));
      else socket.end('HTTP/1.1 200 OK\r\n\r\nuntil the close');
    });
    expect(await get('/closing')).toEqual({ status: 200, body: 'closing' });
    await expectVictimServed();
    const unframed = await exchange(t.harness!.port, 'GET /unframed HTTP/1.1\r\nHost: portal.test\r\nConnection: close\r\n\r\n');
    expect(unframed.status).toBe(200);
    expect(unframed.body).toContain('until the close');
    await expectVictimServed();
    expect(await serverA()).toMatchObject({ errors: 0, inflight: 0 });
  });
});

describe('a backend that breaks off or stalls its answer', () => {
  for (const compression of [false, true]) {
    it(`closing mid-body: the client is cut off, the server counts an error, nothing stays in flight (compression ${compression ? 'on' : 'off'})`, async () => {
      await gatewayInFront(
        (_request, socket) => {
          socket.write(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n${'partial '.repeat(2000)}`);
          setTimeout(() => socket.destroy(), 20);
        },
        { compression: { enabled: compression } },
      );
      const connection = await RawConnection.open(t.harness!.port);
      try {
        connection.write('GET /download HTTP/1.1\r\nHost: portal.test\r\nAccept-Encoding: gzip\r\n\r\n');
        expect(await connection.closedWithin(5000)).toBe(true);
        expect(connection.unread).toMatch(/^HTTP\/1\.1 200 /);
      } finally {
        connection.close();
      }
      await eventually(async () => expect(await serverA()).toMatchObject({ errors: 1, inflight: 0 }));
      expect((await serverA()).health.lastError).toContain('broke off');
      await expectVictimServed();
    });
  }

  it('sending headers then nothing: the client is cut off after requestTimeoutSec, and a draining server drains', async () => {
    await gatewayInFront((_request, socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc'), { requestTimeoutSec: 1, tentativeSessionSec: 1 });
    const connection = await RawConnection.open(t.harness!.port);
    try {
      connection.write('GET /report HTTP/1.1\r\nHost: portal.test\r\n\r\n');
      await eventually(async () => expect((await serverA()).inflight).toBe(1));
      await t.harness!.control.drainServer('web', 'a');
      expect((await serverA()).state).toBe('draining');
      expect(await connection.closedWithin(5000)).toBe(true);
    } finally {
      connection.close();
    }
    await eventually(async () => expect(await serverA()).toMatchObject({ inflight: 0, state: 'drained' }));
    const server = await serverA();
    expect(server.errors).toBe(1);
    expect(server.health.consecutiveFailures).toBe(1);
  });
});

describe('a backend that closes a reused connection after it began to answer', () => {
  it('is not the keep-alive race: the request is not sent again, the client gets a 502 and the server an error', async () => {
    await gatewayInFront((_request, socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n'));
    await expectVictimServed();
    // Over the connection /victim left open: the backend has the whole request and starts its answer.
    const reply = await exchange(t.harness!.port, 'POST /charge HTTP/1.1\r\nHost: portal.test\r\nContent-Length: 9\r\n\r\namount=10', { timeoutMs: 5000 });
    expect(reply.status).toBe(502);
    expect(backend!.requests.filter((r) => r.url === '/charge')).toHaveLength(1);
    expect(backend!.connections[0]!.map((r) => r.url)).toEqual(['/victim', '/charge']);
    const server = await serverA();
    expect(server).toMatchObject({ errors: 1, inflight: 0 });
    expect(server.health.consecutiveFailures).toBe(1);
    await expectVictimServed();
  });
});

describe('an answer that has no body but names a length', () => {
  const answers = [
    // HTTP allows it: the length the full answer would have had (ASP.NET sends it).
    [304, 'HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\nContent-Length: 5120\r\n\r\n'],
    // Not allowed, but sent.
    [204, 'HTTP/1.1 204 No Content\r\nContent-Length: 12\r\n\r\n'],
  ] as const;
  for (const [status, head] of answers) {
    for (const compression of [false, true]) {
      it(`a ${status} with Content-Length is relayed as it is, with no error held against the server (compression ${compression ? 'on' : 'off'})`, async () => {
        await gatewayInFront((_request, socket) => socket.write(head), { compression: { enabled: compression } });
        const connection = await RawConnection.open(t.harness!.port);
        try {
          connection.write('GET /logo.png HTTP/1.1\r\nHost: portal.test\r\nAccept-Encoding: gzip\r\nIf-None-Match: "v1"\r\n\r\n');
          expect((await connection.response()).status).toBe(status);
          // The client's connection stays open for its next request.
          connection.write('GET /victim HTTP/1.1\r\nHost: portal.test\r\n\r\n');
          expect((await connection.response()).body).toMatch(/^victim \d+\.\d+$/);
        } finally {
          connection.close();
        }
        const server = await serverA();
        expect(server).toMatchObject({ errors: 0, inflight: 0 });
        expect(server.health.consecutiveFailures).toBe(0);
      });
    }
  }
});
