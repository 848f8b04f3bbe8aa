/**
 * A backend that answers before it has read the whole request body (413, 401, a redirect): the
 * client gets that answer, and its connection stays usable for the next request once it has sent
 * the rest of the body.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startGateway } from '../support/gateway-harness.js';
import { stopAfterEach } from '../support/fixtures.js';
import { RawConnection } from '../support/raw-http.js';
import { ScriptedBackend } from '../support/scripted-backend.js';

const t = stopAfterEach();
let backend: ScriptedBackend | undefined;
afterEach(async () => {
  await backend?.stop();
  backend = undefined;
});

describe('a backend answering before the whole body arrived', () => {
  it('gets its answer to the client, which can send its next request on the same connection once the body is sent', async () => {
    backend = await new ScriptedBackend(
      (request, socket) => socket.write(request.method === 'POST' ? 'HTTP/1.1 413 Payload Too Large\r\nContent-Length: 8\r\n\r\ntoo big!' : 'HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnext'),
      { beforeBody: true },
    ).start();
    t.harness = await startGateway([{ id: 'web', name: 'Web', healthCheck: { type: 'tcp', intervalSec: 3600 }, servers: [{ id: 'a', name: 'A', url: backend.url }] }]);
    const connection = await RawConnection.open(t.harness.port);
    try {
      const body = 'x'.repeat(1_000_000);
      connection.write(`POST /upload HTTP/1.1\r\nHost: portal.test\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
      const answer = await connection.response();
      expect(answer.status).toBe(413);
      expect(answer.body).toBe('too big!');
      // The client finished its upload (above, in one write) and reuses its connection, which the
      // gateway would otherwise close only after its 5 s keep-alive time.
      connection.write('GET /next HTTP/1.1\r\nHost: portal.test\r\n\r\n');
      const next = await connection.response({ timeoutMs: 4000 });
      expect(next.body).toBe('next');
    } finally {
      connection.close();
    }
    await eventually(async () => expect((await t.harness!.control.getState()).clusters[0]!.servers[0]!).toMatchObject({ inflight: 0, errors: 0 }));
  });
});
