/**
 * Publishing an application under a public path: a backend that lives at `/` published under
 * `/wiki/`, whose redirects, content locations, refreshes and cookies name its own address.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { freePort } from '../../demo/free-port.js';
import { eventually, startGateway } from '../support/gateway-harness.js';
import { request } from '../support/http-client.js';
import { stopAfterEach } from '../support/fixtures.js';
import { TestBackend, type BackendReply } from '../support/test-backend.js';
import { makeCertificate } from '../support/test-certificates.js';
import { closeServer, listenOnLoopback } from '../support/loopback-server.js';

const t = stopAfterEach();

const WIKI_ROUTE = { host: '*', path: '/wiki/', backendPath: '/', cluster: 'web' };

/** A backend at `/` that, like many applications, speaks of itself by its own address. */
async function startWikiBackend(): Promise<TestBackend> {
  const backend = new TestBackend('wiki');
  const own = (): string => `http://127.0.0.1:${backend.port}`;
  const answer = (res: http.ServerResponse, status: number, headers: http.OutgoingHttpHeaders): void => {
    res.writeHead(status, { 'content-length': '0', ...headers });
    res.end();
  };
  backend.handlers.set('/start', (_req, res) => answer(res, 302, { location: `${own()}/login?next=%2F` }));
  backend.handlers.set('/relative', (_req, res) => answer(res, 302, { location: '/login' }));
  backend.handlers.set('/elsewhere', (_req, res) => answer(res, 302, { location: 'http://elsewhere.test/login' }));
  backend.handlers.set('/by-host', (req, res) => answer(res, 302, { location: `http://${req.headers.host}/login` }));
  backend.handlers.set('/doc', (_req, res) => answer(res, 200, { 'content-location': `${own()}/doc/1`, refresh: `5; url=${own()}/done` }));
  backend.handlers.set('/cookies', (_req, res) =>
    answer(res, 200, { 'set-cookie': ['sid=abc; Path=/; Domain=127.0.0.1; HttpOnly', 'pref=dark; Path=/settings', 'plain=1'] }),
  );
  t.backends.push(backend);
  return backend.start();
}

function wikiCluster(backend: TestBackend, extra: Record<string, unknown> = {}) {
  return { id: 'web', name: 'Wiki', ...extra, servers: [{ id: 'a', name: 'A', url: backend.url }] };
}

async function publishWiki(clusterExtra: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Promise<TestBackend> {
  const backend = await startWikiBackend();
  t.harness = await startGateway([wikiCluster(backend, clusterExtra)], { routes: [WIKI_ROUTE], ...extra });
  return backend;
}

function get(path: string, headers: Record<string, string> = { host: 'intranet.test' }, method = 'GET') {
  return request(`${t.harness!.url}${path}`, { method, headers });
}

describe('a route with a backend path', () => {
  it('sends /wiki/… to the backend as /…, query kept', async () => {
    await publishWiki();
    const page = JSON.parse((await get('/wiki/page?x=1')).body) as BackendReply;
    expect(page.url).toBe('/page?x=1');
    const top = JSON.parse((await get('/wiki/')).body) as BackendReply;
    expect(top.url).toBe('/');
  });

  it('maps /old/ to /new/ and leaves other routes alone', async () => {
    const backend = await startWikiBackend();
    t.harness = await startGateway([wikiCluster(backend)], {
      routes: [{ host: '*', path: '/old/', backendPath: '/new/', cluster: 'web' }, { host: '*', path: '/', cluster: 'web' }],
    });
    expect((JSON.parse((await get('/OLD/a/b')).body) as BackendReply).url).toBe('/new/a/b');
    expect((JSON.parse((await get('/other/old/')).body) as BackendReply).url).toBe('/other/old/');
  });

  it('redirects /wiki to /wiki/ keeping the query: 301 for GET, 308 for other methods, without asking the backend', async () => {
    const backend = await publishWiki();
    const reply = await get('/wiki?lang=en');
    expect(reply.status).toBe(301);
    expect(reply.headers.location).toBe('/wiki/?lang=en');
    const posted = await get('/wiki', { host: 'intranet.test', 'content-length': '0' }, 'POST');
    expect(posted.status).toBe(308);
    expect(posted.headers.location).toBe('/wiki/');
    expect(backend.served).toBe(0);
  });

  it('maps the path of a WebSocket upgrade too', async () => {
    const server = http.createServer();
    const sockets = new WebSocketServer({ server });
    sockets.on('connection', (socket, req) => socket.send(req.url ?? ''));
    await listenOnLoopback(server);
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      t.harness = await startGateway([{ id: 'web', name: 'Wiki', servers: [{ id: 'a', name: 'A', url }] }], { routes: [WIKI_ROUTE] });
      const client = new WebSocket(`ws://127.0.0.1:${t.harness.port}/wiki/socket?room=1`);
      const first = await new Promise<string>((resolve, reject) => {
        client.once('message', (data) => resolve(data.toString()));
        client.once('error', reject);
      });
      client.close();
      expect(first).toBe('/socket?room=1');
    } finally {
      sockets.close();
      server.closeAllConnections();
      await closeServer(server);
    }
  });

  it('logs the address the client asked for, not the backend path', async () => {
    await publishWiki({}, { logs: { accessLog: { enabled: true } } });
    await get('/wiki/page');
    const logDir = join(t.harness!.directory, 'logs');
    await eventually(async () => {
      await t.harness!.gateway.accessLog.flush();
      const file = readdirSync(logDir).find((name) => /^switchboard_\d{8}\.log$/.test(name))!;
      expect(readFileSync(join(logDir, file), 'utf8')).toMatch(/ GET \/wiki\/page - 200 /);
    });
  });
});

describe("the backend's own URLs in response headers", () => {
  it('rewrites a redirect to the backend address to the public scheme, host and path', async () => {
    await publishWiki();
    const reply = await get('/wiki/start');
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe('http://intranet.test/wiki/login?next=%2F');
  });

  it('maps a relative redirect under the backend path, and leaves other hosts alone', async () => {
    await publishWiki();
    expect((await get('/wiki/relative')).headers.location).toBe('/wiki/login');
    expect((await get('/wiki/elsewhere')).headers.location).toBe('http://elsewhere.test/login');
  });

  it('rewrites Content-Location and the URL in Refresh', async () => {
    await publishWiki();
    const reply = await get('/wiki/doc');
    expect(reply.headers['content-location']).toBe('http://intranet.test/wiki/doc/1');
    expect(reply.headers.refresh).toBe('5; url=http://intranet.test/wiki/done');
  });

  it("scopes cookies to the public path, drops a Domain naming the backend, and leaves the gateway's session cookie alone", async () => {
    await publishWiki();
    const cookies = (await get('/wiki/cookies')).headers['set-cookie']!;
    expect(cookies).toContain('sid=abc; Path=/wiki/; HttpOnly');
    expect(cookies).toContain('pref=dark; Path=/wiki/settings');
    expect(cookies).toContain('plain=1');
    expect(cookies.find((c) => c.startsWith('sb-web='))).toMatch(/^sb-web=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/);
  });

  it('recognises the fixed Host header the backend was sent as its own name', async () => {
    const backend = await publishWiki({ hostHeader: { mode: 'fixed', value: 'app01.corp.local' } });
    backend.handlers.set('/named', (_req, res) => {
      res.writeHead(302, { location: 'http://app01.corp.local/login', 'set-cookie': 'sid=1; Domain=.APP01.corp.local; Path=/', 'content-length': '0' });
      res.end();
    });
    const reply = await get('/wiki/named');
    expect(reply.headers.location).toBe('http://intranet.test/wiki/login');
    expect(reply.headers['set-cookie']).toContain('sid=1; Path=/wiki/');
  });

  it('rewrites nothing when the cluster has rewriting switched off, but still maps the request path', async () => {
    const backend = await publishWiki({ rewriteResponseUrls: false });
    expect((await get('/wiki/start')).headers.location).toBe(`http://127.0.0.1:${backend.port}/login?next=%2F`);
    expect((await get('/wiki/relative')).headers.location).toBe('/login');
    expect((await get('/wiki/cookies')).headers['set-cookie']).toContain('sid=abc; Path=/; Domain=127.0.0.1; HttpOnly');
    expect((JSON.parse((await get('/wiki/page')).body) as BackendReply).url).toBe('/page');
  });

  it('rewrites the backend address even on a route without a backend path', async () => {
    const backend = await startWikiBackend();
    t.harness = await startGateway([wikiCluster(backend)]);
    expect((await get('/start')).headers.location).toBe('http://intranet.test/login?next=%2F');
    expect((await get('/relative')).headers.location).toBe('/login');
  });
});

describe('an HTTPS listener in front of an HTTP backend', () => {
  it('gives redirects to the backend, or to the Host it was sent over http, the https scheme', async () => {
    const certificate = makeCertificate(mkdtempSync(join(tmpdir(), 'sb-publish-certs-')), { commonName: 'intranet.test' });
    const httpsPort = await freePort();
    await publishWiki({}, { listeners: [{ port: httpsPort, host: '127.0.0.1', tls: { certPath: certificate.certPath, keyPath: certificate.keyPath } }] });
    const ca = readFileSync(certificate.certPath, 'utf8');
    const httpsGet = (path: string) =>
      new Promise<http.IncomingMessage>((resolve, reject) => {
        const req = https.get({ host: '127.0.0.1', port: httpsPort, path, ca, servername: 'intranet.test', headers: { host: `intranet.test:${httpsPort}` }, agent: false }, (res) => {
          res.resume();
          resolve(res);
        });
        req.on('error', reject);
      });
    expect((await httpsGet('/wiki/start')).headers.location).toBe(`https://intranet.test:${httpsPort}/wiki/login?next=%2F`);
    expect((await httpsGet('/wiki/by-host')).headers.location).toBe(`https://intranet.test:${httpsPort}/wiki/login`);
  });
});
