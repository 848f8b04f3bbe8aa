import http from 'node:http';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { eventually, startGateway } from '../support/gateway-harness.js';
import { request, User } from '../support/http-client.js';
import { startBackends } from '../support/test-backend.js';
import { stopAfterEach } from '../support/fixtures.js';

const t = stopAfterEach();


async function oneServer(): Promise<void> {
  t.backends = await startBackends('a', 'b');
  t.harness = await startGateway([
    { id: 'web', name: 'Web', servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }, { id: 'b', name: 'B', url: t.backends[1]!.url, capacity: 0 }] },
  ]);
}

/** Sends raw bytes and returns whatever comes back until the gateway closes the connection. */
function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(bytes));
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
    setTimeout(() => socket.destroy(), 3000);
  });
}

async function serverA() {
  const state = await t.harness!.control.getState();
  return state.clusters[0]!.servers[0]!;
}

describe('forwarding', () => {
  it('passes method, path, body and X-Forwarded headers to the backend', async () => {
    await oneServer();
    const reply = await request(`${t.harness!.url}/submit?x=1`, { method: 'POST', body: 'hello', headers: { host: 'intranet.local', 'content-type': 'text/plain' } });
    const echoed = JSON.parse(reply.body);
    expect(echoed).toMatchObject({ backend: 'a', method: 'POST', url: '/submit?x=1', body: 'hello' });
    expect(echoed.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(echoed.headers['x-forwarded-proto']).toBe('http');
    expect(echoed.headers['x-forwarded-host']).toBe('intranet.local');
    expect(echoed.headers.host).toBe('intranet.local');
  });

  it('carries WebSockets to the session server and counts them', async () => {
    await oneServer();
    const user = new User(t.harness!.url);
    await user.get('/');
    const ws = new WebSocket(`ws://127.0.0.1:${t.harness!.port}/socket`, { headers: { cookie: `sb-web=${user.cookies.get('sb-web')}` } });
    const reply = await new Promise<string>((resolve, reject) => {
      ws.once('open', () => ws.send('ping'));
      ws.once('message', (data) => resolve(data.toString()));
      ws.once('error', reject);
    });
    expect(reply).toBe('a:ping');
    expect((await serverA()).websockets).toBe(1);
    // An open WebSocket keeps a drained server draining, even with its session gone.
    await t.harness!.control.drainServer('web', 'a');
    expect((await serverA()).state).toBe('draining');
    ws.close();
    await eventually(async () => expect((await serverA()).websockets).toBe(0));
  });

  it('answers malformed HTTP with 400 and oversized headers with 431, and keeps serving', async () => {
    await oneServer();
    const malformed = await raw(t.harness!.port, 'GARBAGE\r\n\r\n');
    expect(malformed).toMatch(/^HTTP\/1\.1 400 /);
    const badHeader = await raw(t.harness!.port, 'GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n');
    expect(badHeader).toMatch(/^HTTP\/1\.1 400 /);
    const huge = await raw(t.harness!.port, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`);
    expect(huge).toMatch(/^HTTP\/1\.1 431 /);
    expect((await new User(t.harness!.url).get('/')).status).toBe(200);
  });

  it('survives a client aborting mid-response without leaking the request', async () => {
    await oneServer();
    t.backends[0]!.handlers.set('/stream', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('x'.repeat(1024)), 5);
      res.on('close', () => clearInterval(timer));
    });
    for (let i = 0; i < 5; i++) {
      await new Promise<void>((resolve) => {
        const req = http.get(`${t.harness!.url}/stream`, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', () => resolve());
      });
    }
    await eventually(async () => expect((await serverA()).inflight).toBe(0));
    // Clients leaving is no fault of the backend.
    expect((await serverA()).errors).toBe(0);
    expect((await serverA()).health.consecutiveFailures).toBe(0);
    expect((await new User(t.harness!.url).get('/')).status).toBe(200);
  });

  it('survives a backend dying mid-response', async () => {
    await oneServer();
    t.backends[0]!.handlers.set('/die', (req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100000' });
      res.write('partial');
      setTimeout(() => req.socket.destroy(), 20);
    });
    await expect(request(`${t.harness!.url}/die`)).rejects.toThrow();
    await eventually(async () => expect((await serverA()).inflight).toBe(0));
    expect((await serverA()).errors).toBe(1);
    expect((await new User(t.harness!.url).get('/')).status).toBe(200);
  });

  it('answers 504 when the backend is too slow', async () => {
    t.backends = await startBackends('a');
    t.backends[0]!.handlers.set('/never', () => {});
    t.harness = await startGateway([
      { id: 'web', name: 'Web', requestTimeoutSec: 1, servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }] },
    ]);
    const reply = await request(`${t.harness.url}/never`);
    expect(reply.status).toBe(504);
    expect(reply.body).toContain('longer than 1 s');
  });
});

describe('routing', () => {
  it('routes by host and longest path prefix, with plain 404 and 503 pages', async () => {
    t.backends = await startBackends('web', 'api', 'corp');
    t.harness = await startGateway(
      [
        { id: 'web', name: 'Web', servers: [{ id: 'w', name: 'W', url: t.backends[0]!.url }] },
        { id: 'api', name: 'API', servers: [{ id: 'x', name: 'X', url: t.backends[1]!.url }] },
        { id: 'corp', name: 'Corp', enabled: false, servers: [{ id: 'c', name: 'C', url: t.backends[2]!.url }] },
      ],
      {
        routes: [
          { host: 'intranet.local', path: '/', cluster: 'web' },
          { host: 'intranet.local', path: '/API/', cluster: 'api' },
          { host: '*.corp.local', path: '/', cluster: 'corp' },
        ],
      },
    );
    const get = (host: string, path: string) => request(`${t.harness!.url}${path}`, { headers: { host } });
    expect(JSON.parse((await get('INTRANET.local:8080', '/home')).body).backend).toBe('web');
    expect(JSON.parse((await get('intranet.local', '/api/users')).body).backend).toBe('api');
    const missing = await get('other.local', '/');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('no application for host "other.local"');
    const disabled = await get('hr.corp.local', '/');
    expect(disabled.status).toBe(503);
    expect(disabled.body).toContain('"Corp" is switched off');
  });
});
