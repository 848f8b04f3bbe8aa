/**
 * A backend that answers before it has read the request body (a 413 for an upload that is too
 * large, a 401 before the upload): the client gets the answer, and its connection stays usable.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { startGateway } from '../support/gateway-harness.js';
import { startBackends } from '../support/test-backend.js';
import { stopAfterEach } from '../support/fixtures.js';

const t = stopAfterEach();
const BODY_BYTES = 1_000_000;

/** Sends one large upload and, once it is answered, a GET on the same connection; resolves with both answers' status lines. */
function uploadThenGet(port: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    let askedAgain = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no second answer within 10 s; got:\n${text.slice(0, 500)}`));
    }, 10_000);
    socket.on('connect', () => {
      socket.write(`POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: ${BODY_BYTES}\r\n\r\n`);
      socket.write(Buffer.alloc(BODY_BYTES, 120));
    });
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const statuses = [...text.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((match) => match[1]!);
      if (statuses.length === 1 && !askedAgain && text.includes('too large')) {
        askedAgain = true;
        socket.write('GET /after HTTP/1.1\r\nHost: x\r\n\r\n');
      }
      if (statuses.length === 2 && text.includes('"url":"/after"')) {
        clearTimeout(timer);
        socket.destroy();
        resolve(statuses);
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

describe('a backend answering before it has read the body', () => {
  it('relays the early answer, and the client connection carries the next request', async () => {
    t.backends = await startBackends('a');
    t.backends[0]!.handlers.set('/upload', (req, res) => {
      res.writeHead(413, { 'content-type': 'text/plain' });
      res.end('too large');
      // It still reads what comes, as web servers do, so that the answer is not lost to a reset.
      req.resume();
    });
    t.harness = await startGateway([
      { id: 'web', name: 'Web', healthCheck: { type: 'tcp', intervalSec: 3600 }, servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }] },
    ]);
    expect(await uploadThenGet(t.harness.port)).toEqual(['413', '200']);
    const server = (await t.harness.control.getState()).clusters[0]!.servers[0]!;
    expect(server.inflight).toBe(0);
    expect(server.health.consecutiveFailures).toBe(0);
  });
});
