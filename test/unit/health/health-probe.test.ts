/** One health probe against real loopback servers: HTTP status, timeouts, TCP connects, IPv6 literals. */
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { healthCheckSchema } from '../../../proxy/config/config-schema.js';
import { probe } from '../../../proxy/health/health-probe.js';
import { closeServer, listenOnLoopback } from '../../support/loopback-server.js';

const servers: net.Server[] = [];
const agent = new http.Agent();

afterEach(async () => {
  await Promise.all(servers.splice(0).map(closeServer));
});

/** A backend answering GET /health with `status`, recording the Host headers it got. */
async function backend(status: number, host = '127.0.0.1'): Promise<{ url: URL; hosts: (string | undefined)[] }> {
  const hosts: (string | undefined)[] = [];
  const server = http.createServer((req, res) => {
    hosts.push(req.headers.host);
    res.writeHead(status).end();
  });
  servers.push(server);
  const port = await listenOnLoopback(server, 0, host);
  return { url: new URL(`http://${host.includes(':') ? `[${host}]` : host}:${port}/`), hosts };
}

const httpCheck = (extra: Record<string, unknown> = {}) => healthCheckSchema.parse({ type: 'http', path: '/health', ...extra });

describe('HTTP probe', () => {
  it('counts any answer below 500 as online, and a 5xx as a failure naming the status', async () => {
    for (const status of [200, 302, 404]) expect(await probe((await backend(status)).url, httpCheck(), agent)).toEqual({ ok: true });
    expect(await probe((await backend(503)).url, httpCheck(), agent)).toEqual({ ok: false, reason: 'GET /health answered 503' });
  });

  it("sends the check's Host header when one is set, else the server's own", async () => {
    const server = await backend(200);
    await probe(server.url, httpCheck(), agent);
    await probe(server.url, httpCheck({ host: 'app01.corp.local' }), agent);
    expect(server.hosts).toEqual([server.url.host, 'app01.corp.local']);
  });

  it('reaches a server given by an IPv6 literal', async () => {
    expect(await probe((await backend(200, '::1')).url, httpCheck(), agent)).toEqual({ ok: true });
  });

  it('fails a server that does not answer in time', async () => {
    const held: net.Socket[] = [];
    const silent = net.createServer((socket) => held.push(socket));
    servers.push(silent);
    const port = await listenOnLoopback(silent);
    const result = await probe(new URL(`http://127.0.0.1:${port}/`), httpCheck({ timeoutMs: 200 }), agent);
    for (const socket of held) socket.destroy();
    expect(result).toEqual({ ok: false, reason: 'no answer within 200 ms' });
  });
});

describe('TCP probe', () => {
  it('counts a connection as online and a refused one as a failure', async () => {
    const listening = net.createServer((socket) => socket.end());
    servers.push(listening);
    const port = await listenOnLoopback(listening);
    const tcp = healthCheckSchema.parse({ type: 'tcp' });
    expect(await probe(new URL(`http://127.0.0.1:${port}/`), tcp, agent)).toEqual({ ok: true });
    await closeServer(listening);
    const refused = await probe(new URL(`http://127.0.0.1:${port}/`), tcp, agent);
    expect(refused.ok).toBe(false);
    expect(refused.ok ? '' : refused.reason).toMatch(/ECONNREFUSED/);
  });
});
