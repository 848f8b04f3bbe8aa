/**
 * A large upload on a connection that signs in with NTLM or Negotiate, challenged before the backend
 * has read its body (as IIS answers, then drains the body): the handshake's next step must reach
 * the same backend connection, where the challenge lives.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startGateway } from '../support/gateway-harness.js';
import { stopAfterEach } from '../support/fixtures.js';
import { RawConnection } from '../support/raw-http.js';
import { closeServer, listenOnLoopback } from '../support/loopback-server.js';

const t = stopAfterEach();
const sockets = new Set<net.Socket>();
let backend: net.Server | undefined;
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  if (backend) await closeServer(backend);
  backend = undefined;
});

/**
 * Answers each request as soon as its head arrives, then reads and drops its body: a 401 challenge
 * to `NTLM negotiate`, a 200 to `NTLM authenticate` only on the connection that was challenged.
 * Returns the log of which connection saw which step.
 */
async function challengingBackend(): Promise<{ url: string; log: string[] }> {
  const log: string[] = [];
  let connections = 0;
  backend = net.createServer((socket) => {
    const id = connections++;
    let challenged = false;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffered = Buffer.alloc(0);
    let bodyLeft = -1;
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        if (bodyLeft < 0) {
          const end = buffered.indexOf('\r\n\r\n');
          if (end < 0) return;
          const head = buffered.subarray(0, end).toString('latin1');
          buffered = buffered.subarray(end + 4);
          bodyLeft = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? 0);
          const step = /\r\nauthorization: NTLM (\w+)/i.exec(head)?.[1] ?? 'none';
          log.push(`${step} on ${id}`);
          if (step === 'negotiate') {
            challenged = true;
            socket.write('HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: NTLM challenge\r\nContent-Length: 0\r\n\r\n');
          } else if (step === 'authenticate' && challenged) {
            socket.write('HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nsigned in');
          } else {
            socket.write('HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: NTLM\r\nContent-Length: 0\r\n\r\n');
          }
        }
        if (buffered.length < bodyLeft) {
          bodyLeft -= buffered.length;
          buffered = Buffer.alloc(0);
          return;
        }
        buffered = buffered.subarray(bodyLeft);
        bodyLeft = -1;
      }
    });
  });
  return { url: `http://127.0.0.1:${await listenOnLoopback(backend)}`, log };
}

describe('a Windows sign-in on a large upload', () => {
  for (const [size, compression] of [[1_000, false], [5_000_000, false], [5_000_000, true]] as const) {
    it(`keeps its backend connection when challenged before the body was read (${size} bytes, compression ${compression ? 'on' : 'off'})`, async () => {
      const { url, log } = await challengingBackend();
      t.harness = await startGateway([{ id: 'web', name: 'Web', compression: { enabled: compression }, healthCheck: { type: 'tcp', intervalSec: 3600 }, servers: [{ id: 'a', name: 'A', url }] }]);
      const connection = await RawConnection.open(t.harness.port);
      try {
        const body = 'x'.repeat(size);
        connection.write(`POST /upload HTTP/1.1\r\nHost: portal.test\r\nAuthorization: NTLM negotiate\r\nContent-Length: ${size}\r\n\r\n${body}`);
        expect((await connection.response()).status).toBe(401);
        connection.write(`POST /upload HTTP/1.1\r\nHost: portal.test\r\nAuthorization: NTLM authenticate\r\nContent-Length: ${size}\r\n\r\n${body}`);
        const signedIn = await connection.response({ timeoutMs: 20_000 });
        expect(signedIn.body).toBe('signed in');
      } finally {
        connection.close();
      }
      expect(log).toEqual(['negotiate on 0', 'authenticate on 0']);
    });
  }
});
