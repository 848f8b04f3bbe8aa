/**
 * HTTPS backends behind http-proxy-3 with the agents of backend-tls.ts: trust by fingerprint, SNI
 * from the backend URL, keep-alive, and the fixed Host header.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type tls from 'node:tls';
import { createProxyServer } from 'http-proxy-3';
import { WebSocket, WebSocketServer } from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBackendAgent } from '../../proxy/forwarding/backend-tls.js';
import { backendHostHeader } from '../../proxy/routing/host-header.js';
import { makeCertificate, type TestCertificate } from '../support/test-certificates.js';
import { closeServer, listenOnLoopback } from '../support/loopback-server.js';

let dir: string;
let backendCert: TestCertificate;
let impostorCert: TestCertificate;
const cleanups: (() => Promise<void> | void)[] = [];
/** Backends started by the current test, for tests that add a WebSocket server to them. */
const openHttpsServers: https.Server[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-tls-backend-'));
  backendCert = makeCertificate(dir, { commonName: 'localhost', dnsNames: ['localhost'] });
  impostorCert = makeCertificate(dir, { commonName: 'impostor', dnsNames: ['localhost'] });
});

afterEach(async () => {
  openHttpsServers.length = 0;
  while (cleanups.length > 0) await cleanups.pop()!();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Seen {
  requests: { host: string | undefined; servername: string | false | null | undefined; url: string | undefined }[];
  connections: number;
}

async function startHttpsBackend(cert: TestCertificate): Promise<{ port: number; seen: Seen }> {
  const seen: Seen = { requests: [], connections: 0 };
  const server = https.createServer({ cert: readFileSync(cert.certPath), key: readFileSync(cert.keyPath) }, (req, res) => {
    seen.requests.push({ host: req.headers.host, servername: (req.socket as tls.TLSSocket).servername, url: req.url });
    res.end('secret page');
  });
  const sockets = new Set<net.Socket>();
  server.on('secureConnection', (socket: tls.TLSSocket) => {
    seen.connections++;
    sockets.add(socket);
  });
  await listenOnLoopback(server);
  openHttpsServers.push(server);
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return { port: (server.address() as net.AddressInfo).port, seen };
}

/** A minimal forwarder: what the gateway does with a server's agent, nothing more. */
async function startForwarder(target: string, agent: http.Agent, headers: Record<string, string> = {}): Promise<{ port: number; errors: NodeJS.ErrnoException[] }> {
  const errors: NodeJS.ErrnoException[] = [];
  const proxy = createProxyServer({ agent });
  const server = http.createServer((req, res) =>
    proxy.web(req, res, { target, headers }, (error) => {
      errors.push(error as NodeJS.ErrnoException);
      if (!res.headersSent) res.writeHead(502);
      res.end('bad gateway');
    }),
  );
  await listenOnLoopback(server);
  cleanups.push(() => {
    agent.destroy();
    return closeServer(server);
  });
  return { port: (server.address() as net.AddressInfo).port, errors };
}

/** Keep-alive like a browser: a client sending `Connection: close` would have it relayed to the backend. */
const clientAgent = new http.Agent({ keepAlive: true });
afterAll(() => clientAgent.destroy());

function get(port: number, path: string, host = 'intranet.corp.local'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, headers: { host }, agent: clientAgent }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('HTTPS backend trusted by fingerprint', () => {
  it('forwards to a self-signed backend whose fingerprint matches, with SNI from the backend URL', async () => {
    const backend = await startHttpsBackend(backendCert);
    const url = `https://localhost:${backend.port}`;
    const forwarder = await startForwarder(url, createBackendAgent({ url, tlsFingerprint: backendCert.fingerprint256 }));

    expect(await get(forwarder.port, '/one')).toEqual({ status: 200, body: 'secret page' });
    expect(await get(forwarder.port, '/two')).toEqual({ status: 200, body: 'secret page' });
    expect(backend.seen.requests).toEqual([
      { host: 'intranet.corp.local', servername: 'localhost', url: '/one' },
      { host: 'intranet.corp.local', servername: 'localhost', url: '/two' },
    ]);
    expect(backend.seen.connections).toBe(1);
    expect(forwarder.errors).toEqual([]);
  });

  it('accepts the fingerprint in lower case too', async () => {
    const backend = await startHttpsBackend(backendCert);
    const url = `https://127.0.0.1:${backend.port}`;
    const forwarder = await startForwarder(url, createBackendAgent({ url, tlsFingerprint: backendCert.fingerprint256.toLowerCase() }));
    expect((await get(forwarder.port, '/')).status).toBe(200);
  });

  it('refuses a backend presenting another certificate before sending it anything', async () => {
    const backend = await startHttpsBackend(impostorCert);
    const url = `https://localhost:${backend.port}`;
    const forwarder = await startForwarder(url, createBackendAgent({ url, tlsFingerprint: backendCert.fingerprint256 }));

    expect((await get(forwarder.port, '/login?password=hunter2')).status).toBe(502);
    expect(forwarder.errors.map((e) => e.code)).toEqual(['ERR_TLS_FINGERPRINT_MISMATCH']);
    expect(backend.seen.requests).toEqual([]);
  });

  it('refuses a self-signed backend when no fingerprint is configured', async () => {
    const backend = await startHttpsBackend(backendCert);
    const url = `https://localhost:${backend.port}`;
    const forwarder = await startForwarder(url, createBackendAgent({ url }));

    expect((await get(forwarder.port, '/')).status).toBe(502);
    expect(forwarder.errors[0]!.code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/);
    expect(backend.seen.requests).toEqual([]);
  });

  it('sends the fixed Host header when the cluster asks for one', async () => {
    const backend = await startHttpsBackend(backendCert);
    const url = `https://localhost:${backend.port}`;
    const host = backendHostHeader({ mode: 'fixed', value: 'app01.corp.local' }, 'intranet.corp.local')!;
    const forwarder = await startForwarder(url, createBackendAgent({ url, tlsFingerprint: backendCert.fingerprint256 }), { host });

    expect((await get(forwarder.port, '/')).status).toBe(200);
    expect(backend.seen.requests[0]).toMatchObject({ host: 'app01.corp.local', servername: 'localhost' });
  });
});

describe('WebSocket to an HTTPS backend trusted by fingerprint', () => {
  it('upgrades through the fingerprint agent and refuses an impostor', async () => {
    const goodPort = (await startHttpsBackend(backendCert)).port;
    const badPort = (await startHttpsBackend(impostorCert)).port;
    // startHttpsBackend servers answer plain requests; give them a WebSocket echo as well.
    for (const server of openHttpsServers.splice(0)) {
      const wss = new WebSocketServer({ server });
      wss.on('connection', (socket) => socket.on('message', (data) => socket.send(`echo ${data.toString()}`)));
      cleanups.push(() => wss.close());
    }

    const proxy = createProxyServer({ ws: true });
    const errors: string[] = [];
    proxy.on('error', (error) => errors.push((error as NodeJS.ErrnoException).code ?? error.message));
    const agents = new Map<string, http.Agent>([
      ['/good', createBackendAgent({ url: `https://localhost:${goodPort}`, tlsFingerprint: backendCert.fingerprint256 })],
      ['/bad', createBackendAgent({ url: `https://localhost:${badPort}`, tlsFingerprint: backendCert.fingerprint256 })],
    ]);
    const front = http.createServer();
    front.on('upgrade', (req, socket, head) => {
      socket.on('error', () => socket.destroy());
      const port = req.url === '/good' ? goodPort : badPort;
      proxy.ws(req, socket, head, { target: `https://localhost:${port}`, agent: agents.get(req.url ?? '') }, (error) => {
        errors.push((error as NodeJS.ErrnoException).code ?? error.message);
        socket.destroy();
      });
    });
    await listenOnLoopback(front);
    cleanups.push(() => {
      for (const agent of agents.values()) agent.destroy();
      return closeServer(front);
    });
    const frontPort = (front.address() as net.AddressInfo).port;

    const good = new WebSocket(`ws://127.0.0.1:${frontPort}/good`);
    const reply = await new Promise<string>((resolve, reject) => {
      good.once('open', () => good.send('hello'));
      good.once('message', (data) => resolve(data.toString()));
      good.once('error', reject);
    });
    good.close();
    expect(reply).toBe('echo hello');

    const bad = new WebSocket(`ws://127.0.0.1:${frontPort}/bad`);
    const outcome = await new Promise<string>((resolve) => {
      bad.once('open', () => resolve('opened'));
      bad.once('error', () => resolve('refused'));
    });
    expect(outcome).toBe('refused');
    expect(errors).toContain('ERR_TLS_FINGERPRINT_MISMATCH');
  });
});

describe('backend agents', () => {
  it('is a keep-alive http agent for http:// servers and an https one for https://', () => {
    const plain = createBackendAgent({ url: 'http://10.0.0.5:8080' });
    const secure = createBackendAgent({ url: 'https://app01.corp.local' });
    expect(plain).not.toBeInstanceOf(https.Agent);
    expect(secure).toBeInstanceOf(https.Agent);
    expect((plain as http.Agent & { keepAlive: boolean }).keepAlive).toBe(true);
    expect((secure as https.Agent).options.servername).toBe('app01.corp.local');
    plain.destroy();
    secure.destroy();
  });

  it('keeps or replaces the Host header as configured', () => {
    expect(backendHostHeader({ mode: 'keep' }, 'intranet.corp.local')).toBe('intranet.corp.local');
    expect(backendHostHeader(undefined, 'intranet.corp.local')).toBe('intranet.corp.local');
    expect(backendHostHeader({ mode: 'fixed', value: 'app01:8080' }, 'intranet.corp.local')).toBe('app01:8080');
  });
});
