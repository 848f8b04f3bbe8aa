/**
 * A large upload on a connection that signs in with NTLM or Negotiate, challenged before the backend
 * has read its body (as IIS answers, then drains the body): the handshake's next step must reach
 * the same backend connection, where the challenge lives.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startGateway } from '../support/gateway-harness.js';
import { stopAfterEach } from '../support/fixtures.js';
import { RawConnection } from '../support/raw-http.js';
import { ScriptedBackend } from '../support/scripted-backend.js';

const t = stopAfterEach();
let backend: ScriptedBackend | undefined;
afterEach(async () => {
  await backend?.stop();
  backend = undefined;
});

/** A 401 challenge to `NTLM negotiate`, and a 200 to `NTLM authenticate` only on the connection that was challenged. */
async function challengingBackend(): Promise<ScriptedBackend> {
  const challenged = new Set<number>();
  return new ScriptedBackend(
    (request, socket) => {
      const step = /\r\nauthorization: NTLM (\w+)/i.exec(request.head)?.[1];
      if (step === 'negotiate') {
        challenged.add(request.connection);
        socket.write('HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: NTLM challenge\r\nContent-Length: 0\r\n\r\n');
      } else if (step === 'authenticate' && challenged.has(request.connection)) {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nsigned in');
      } else {
        socket.write('HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: NTLM\r\nContent-Length: 0\r\n\r\n');
      }
    },
    { beforeBody: true },
  ).start();
}

describe('a Windows sign-in on a large upload', () => {
  for (const [size, compression] of [[1_000, false], [5_000_000, false], [5_000_000, true]] as const) {
    it(`keeps its backend connection when challenged before the body was read (${size} bytes, compression ${compression ? 'on' : 'off'})`, async () => {
      backend = await challengingBackend();
      t.harness = await startGateway([{ id: 'web', name: 'Web', compression: { enabled: compression }, healthCheck: { type: 'tcp', intervalSec: 3600 }, servers: [{ id: 'a', name: 'A', url: backend.url }] }]);
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
      expect(backend.connections.map((requests) => requests.length)).toEqual([2]);
    });
  }
});
