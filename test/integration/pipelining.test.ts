import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { eventually, startGateway } from '../support/gateway-harness.js';
import { request } from '../support/http-client.js';
import { startBackends } from '../support/test-backend.js';
import { stopAfterEach } from '../support/fixtures.js';

const t = stopAfterEach();

/** Connections that pipeline fewer requests than the gateway lets wait: they are kept, and read no further. */
const PATIENT = { connections: 20, requests: 400 };
/** Connections that pipeline far more: they are cut off. */
const FLOODING = { connections: 10, requests: 4000 };

/** A client that writes many pipelined requests and never reads a byte of the answers. */
function unreadPipeline(port: number, requests: number): Promise<net.Socket> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.pause();
      socket.write('GET /pipelined HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(requests));
      resolve(socket);
    });
    socket.on('error', () => {});
  });
}

async function serverState(id: string) {
  const state = await t.harness!.control.getState();
  return state.clusters[0]!.servers.find((s) => s.id === id)!;
}

describe('pipelined requests whose answers are never read', () => {
  it('are forwarded only a few at a time per connection, and released when the client leaves: memory stays bounded and the server drains', async () => {
    t.backends = await startBackends('a');
    // Answers large enough to fill the client's socket buffers, which it never empties.
    const page = Buffer.alloc(256 * 1024, 'p');
    t.backends[0]!.handlers.set('/pipelined', (_req, res) => res.end(page));
    t.harness = await startGateway([
      {
        id: 'web', name: 'Web', sessionMethod: 'client-ip', sessionTimeoutSec: 1,
        healthCheck: { type: 'tcp', intervalSec: 3600 },
        servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }],
      },
    ]);
    await request(`${t.harness.url}/warm-up`);
    const heapBefore = process.memoryUsage().heapUsed;
    const sockets = await Promise.all([
      ...Array.from({ length: PATIENT.connections }, () => unreadPipeline(t.harness!.port, PATIENT.requests)),
      ...Array.from({ length: FLOODING.connections }, () => unreadPipeline(t.harness!.port, FLOODING.requests)),
    ]);
    // Let the gateway read and forward all it is willing to.
    let served = -1;
    for (let round = 0; round < 40 && t.backends[0]!.served !== served; round++) {
      served = t.backends[0]!.served;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    const inflight = (await serverState('a')).inflight;
    const sent = PATIENT.connections * PATIENT.requests + FLOODING.connections * FLOODING.requests;
    console.log(`pipelining: ${sent} unread requests; backend served ${served}, ${inflight} in flight; heap +${(heapGrowth / 1e6).toFixed(1)} MB`);
    // Once a client's buffers are full, at most 8 of its requests are forwarded; nothing more is read.
    expect(served).toBeLessThan((PATIENT.connections * PATIENT.requests) / 4);
    expect(inflight).toBeLessThanOrEqual(PATIENT.connections * 8);
    expect(heapGrowth).toBeLessThan(100e6);

    for (const socket of sockets) socket.destroy();
    await eventually(async () => expect((await serverState('a')).inflight).toBe(0), 10_000);
    await t.harness.control.drainServer('web', 'a');
    await eventually(async () => expect((await serverState('a')).state).toBe('drained'), 5_000);
  });
});
