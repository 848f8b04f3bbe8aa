import http2 from 'node:http2';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../demo/free-port.js';
import { stopAfterEach } from '../support/fixtures.js';
import { startGateway } from '../support/gateway-harness.js';
import { startBackends } from '../support/test-backend.js';
import { makeCertificate } from '../support/test-certificates.js';
import { okResponse, ScriptedBackend } from '../support/scripted-backend.js';

const t = stopAfterEach();
let backend: ScriptedBackend | undefined;
afterEach(async () => {
  await backend?.stop();
  backend = undefined;
});

interface H2Reply {
  status: number;
  sessionCookie: string | undefined;
  body: string;
}

function get(client: http2.ClientHttp2Session, path: string, headers: http2.OutgoingHttpHeaders = {}): Promise<H2Reply> {
  return new Promise((resolve, reject) => {
    const req = client.request({ ':path': path, ...headers });
    let body = '';
    let status = 0;
    let sessionCookie: string | undefined;
    req.on('response', (responseHeaders) => {
      status = Number(responseHeaders[':status']);
      const cookies = responseHeaders['set-cookie'] as string[] | undefined;
      sessionCookie = cookies?.find((c) => c.startsWith('sb-web='))?.split(';')[0];
    });
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve({ status, sessionCookie, body }));
    req.on('error', reject);
  });
}

describe('HTTP/2 clients on an HTTPS listener with http2 on', () => {
  it('are routed by :authority, keep their session, and reach the backend over HTTP/1.1', async () => {
    t.backends = await startBackends('a', 'b');
    const cert = makeCertificate(mkdtempSync(join(tmpdir(), 'sb-h2-')), { commonName: 'portal.test' });
    const port = await freePort();
    t.harness = await startGateway(
      [
        { id: 'web', name: 'Web', servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }, { id: 'b', name: 'B', url: t.backends[1]!.url }] },
      ],
      {
        listeners: [{ port, host: '127.0.0.1', tls: { certPath: cert.certPath, keyPath: cert.keyPath, http2: true } }],
        routes: [{ host: 'portal.test', path: '/', cluster: 'web' }],
      },
    );
    const client = http2.connect(`https://127.0.0.1:${port}`, { ca: readFileSync(cert.certPath), servername: 'portal.test' });
    const authority = { ':authority': `portal.test:${port}` };
    try {
      const first = await get(client, '/start', authority);
      expect(first.status).toBe(200);
      expect(first.sessionCookie).toBeDefined();
      const echoed = JSON.parse(first.body);
      expect(echoed.url).toBe('/start');
      expect(echoed.headers.host).toBe(`portal.test:${port}`);
      expect(echoed.headers['x-forwarded-proto']).toBe('https');
      expect(Object.keys(echoed.headers).filter((name) => name.startsWith(':'))).toEqual([]);
      for (let i = 0; i < 5; i++) {
        const again = await get(client, `/again/${i}`, { ...authority, cookie: first.sessionCookie! });
        expect(JSON.parse(again.body).backend).toBe(echoed.backend);
      }
    } finally {
      client.close();
    }
  });
});

/** `get`, except that a stream the gateway closes without an answer settles too (status 0), within 5 s. */
function getOrClosed(client: http2.ClientHttp2Session, path: string, headers: http2.OutgoingHttpHeaders): Promise<H2Reply> {
  return new Promise((resolve) => {
    const req = client.request({ ':path': path, ...headers });
    const reply: H2Reply = { status: 0, sessionCookie: undefined, body: '' };
    const timer = setTimeout(() => req.close(), 5000);
    req.on('response', (responseHeaders) => (reply.status = Number(responseHeaders[':status'])));
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (reply.body += chunk));
    req.on('error', () => {});
    req.on('close', () => {
      clearTimeout(timer);
      resolve(reply);
    });
  });
}

describe('HTTP/2 clients sending a method in lower case', () => {
  it('are refused with 400: a backend that reads "head" as HEAD answers without a body the gateway would wait for', async () => {
    // Jetty and ASP.NET compare methods without regard to case; undici treats only "HEAD" as bodiless.
    backend = await new ScriptedBackend((request, socket) => {
      if (request.method.toUpperCase() === 'HEAD') socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n');
      else socket.write(okResponse(`${request.method} ${request.url}`));
    }).start();
    const cert = makeCertificate(mkdtempSync(join(tmpdir(), 'sb-h2-')), { commonName: 'portal.test' });
    const port = await freePort();
    t.harness = await startGateway(
      [{ id: 'web', name: 'Web', requestTimeoutSec: 1, healthCheck: { type: 'tcp', intervalSec: 3600, unhealthyAfter: 1 }, servers: [{ id: 'a', name: 'A', url: backend.url }] }],
      { listeners: [{ port, host: '127.0.0.1', tls: { certPath: cert.certPath, keyPath: cert.keyPath, http2: true } }] },
    );
    const client = http2.connect(`https://127.0.0.1:${port}`, { ca: readFileSync(cert.certPath), servername: 'portal.test' });
    const authority = { ':authority': 'portal.test' };
    try {
      for (const method of ['head', 'Head', 'get']) {
        const reply = await getOrClosed(client, `/${method}`, { ...authority, ':method': method });
        expect(reply.status, method).toBe(400);
        expect(reply.body).toContain('capital');
      }
      expect((await get(client, '/page', authority)).body).toBe('GET /page');
    } finally {
      client.close();
    }
    expect(backend.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /page']);
    const server = (await t.harness.control.getState()).clusters[0]!.servers[0]!;
    expect(server).toMatchObject({ state: 'active', errors: 0, inflight: 0 });
    expect(server.health.consecutiveFailures).toBe(0);
  });
});
