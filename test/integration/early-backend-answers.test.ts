/**
 * A backend that answers before it has read the whole request body (413, 401, a redirect): the
 * client gets that answer, and its connection stays usable for the next request once it has sent
 * the rest of the body.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startGateway } from '../support/gateway-harness.js';
import { stopAfterEach } from '../support/fixtures.js';
import { RawConnection } from '../support/raw-http.js';
import { closeServer, listenOnLoopback } from '../support/loopback-server.js';

const t = stopAfterEach();
let early: net.Server | undefined;
const sockets = new Set<net.Socket>();
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  if (early) await closeServer(early);
  early = undefined;
});

/** A backend that answers 413 as soon as a request's head arrives, without reading its body, and keeps the connection. */
async function answersBeforeTheBody(): Promise<string> {
  early = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let head = '';
    socket.on('data', (chunk: Buffer) => {
      if (head.includes('\r\n\r\n')) return;
      head += chunk.toString('latin1');
      if (head.includes('\r\n\r\n')) socket.write('HTTP/1.1 413 Payload Too Large\r\nContent-Length: 8\r\n\r\ntoo big!');
    });
  });
  const port = await listenOnLoopback(early);
  return `http://127.0.0.1:${port}`;
}

describe('a backend answering before the whole body arrived', () => {
  it('gets its answer to the client, which can send its next request on the same connection once the body is sent', async () => {
    const earlyUrl = await answersBeforeTheBody();
    t.harness = await startGateway([{ id: 'web', name: 'Web', healthCheck: { type: 'tcp', intervalSec: 3600 }, servers: [{ id: 'a', name: 'A', url: earlyUrl }] }]);
    const connection = await RawConnection.open(t.harness.port);
    try {
      const body = 'x'.repeat(1_000_000);
      connection.write(`POST /upload HTTP/1.1\r\nHost: portal.test\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
      const answer = await connection.response();
      expect(answer.status).toBe(413);
      expect(answer.body).toBe('too big!');
      // The client finished its upload (above, in one write) and reuses its connection.
      connection.write('GET /next HTTP/1.1\r\nHost: portal.test\r\n\r\n');
      // Well before the 5 s after which an idle client connection would be closed.
      const next = await connection.response({ timeoutMs: 3000 });
      expect(next.status).toBe(413);
    } finally {
      connection.close();
    }
    await eventually(async () => expect((await t.harness!.control.getState()).clusters[0]!.servers[0]!).toMatchObject({ inflight: 0, errors: 0 }));
  });
});
