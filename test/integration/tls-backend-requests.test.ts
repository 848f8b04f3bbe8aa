/**
 * HTTPS backends on the request path (undici, `createBackendConnector`): a server trusted by its
 * certificate fingerprint gets requests, an impostor or an unverifiable certificate gets not one
 * byte of a request, whatever the client sent.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGateway } from '../support/gateway-harness.js';
import { stopAfterEach } from '../support/fixtures.js';
import { exchange } from '../support/raw-http.js';
import { okResponse } from '../support/scripted-backend.js';
import { makeCertificate, type TestCertificate } from '../support/test-certificates.js';
import { closeServer, listenOnLoopback } from '../support/loopback-server.js';

const t = stopAfterEach();
let dir: string;
let backendCert: TestCertificate;
let impostorCert: TestCertificate;
const servers: tls.Server[] = [];
const sockets = new Set<net.Socket>();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-tls-requests-'));
  backendCert = makeCertificate(dir, { commonName: 'localhost', dnsNames: ['localhost'] });
  impostorCert = makeCertificate(dir, { commonName: 'impostor', dnsNames: ['localhost'] });
});
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => closeServer(server)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A TLS server that records every decrypted byte it receives and answers each request head with 200. */
async function startTlsBackend(cert: TestCertificate): Promise<{ url: string; connections: () => number; received: () => string }> {
  let connections = 0;
  let received = '';
  const server = tls.createServer({ cert: readFileSync(cert.certPath), key: readFileSync(cert.keyPath) }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.endsWith('\r\n\r\n')) socket.write(okResponse('secret page'));
    });
  });
  server.on('connection', (socket: net.Socket) => {
    connections++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  servers.push(server);
  const port = await listenOnLoopback(server);
  return { url: `https://127.0.0.1:${port}`, connections: () => connections, received: () => received };
}

const LOGIN = 'GET /login?password=hunter2 HTTP/1.1\r\nHost: portal.test\r\nCookie: app=session-secret\r\n\r\n';

async function serverA() {
  return (await t.harness!.control.getState()).clusters[0]!.servers[0]!;
}

describe('requests to an HTTPS backend', () => {
  it('reach a server whose certificate matches the fingerprint, over one kept-alive connection', async () => {
    const backend = await startTlsBackend(backendCert);
    t.harness = await startGateway([{ id: 'web', name: 'Web', healthCheck: { type: 'tcp', intervalSec: 3600 }, servers: [{ id: 'a', name: 'A', url: backend.url, tlsFingerprint: backendCert.fingerprint256 }] }]);
    expect((await exchange(t.harness.port, LOGIN)).body).toBe('secret page');
    expect((await exchange(t.harness.port, LOGIN)).body).toBe('secret page');
    expect(backend.connections()).toBe(1);
    expect(backend.received().match(/GET \/login/g)).toHaveLength(2);
  });

  it('keep one connection for clients that call the site by different names', async () => {
    const backend = await startTlsBackend(backendCert);
    t.harness = await startGateway([{ id: 'web', name: 'Web', healthCheck: { type: 'tcp', intervalSec: 3600 }, servers: [{ id: 'a', name: 'A', url: backend.url, tlsFingerprint: backendCert.fingerprint256 }] }]);
    // A short name, the full name and the address, as users on one intranet type them.
    for (const host of ['portal', 'portal.corp.test', '127.0.0.1', 'portal', 'portal.corp.test', '127.0.0.1']) {
      expect((await exchange(t.harness.port, LOGIN.replace('portal.test', host))).body).toBe('secret page');
    }
    expect(backend.received().match(/GET \/login/g)).toHaveLength(6);
    expect(backend.connections()).toBe(1);
  });

  it('send not one byte to a server presenting another certificate: 502, and a health failure', async () => {
    const impostor = await startTlsBackend(impostorCert);
    t.harness = await startGateway([{ id: 'web', name: 'Web', healthCheck: { type: 'tcp', intervalSec: 3600, unhealthyAfter: 5 }, servers: [{ id: 'a', name: 'A', url: impostor.url, tlsFingerprint: backendCert.fingerprint256 }] }]);
    expect((await exchange(t.harness.port, LOGIN)).status).toBe(502);
    expect(impostor.connections()).toBe(1);
    expect(impostor.received()).toBe('');
    const server = await serverA();
    expect(server.health.lastError).toContain('fingerprint');
    expect(server.inflight).toBe(0);
  });

  it('send not one byte to a self-signed server when no fingerprint is configured', async () => {
    const backend = await startTlsBackend(backendCert);
    t.harness = await startGateway([{ id: 'web', name: 'Web', healthCheck: { type: 'tcp', intervalSec: 3600, unhealthyAfter: 5 }, servers: [{ id: 'a', name: 'A', url: backend.url }] }]);
    expect((await exchange(t.harness.port, LOGIN)).status).toBe(502);
    expect(backend.received()).toBe('');
    expect((await serverA()).health.lastError).toMatch(/self[- ]signed|unable to verify/i);
  });
});
