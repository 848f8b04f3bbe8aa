/**
 * HTTPS listeners on real loopback sockets: PFX and PEM certificates, SNI, TLS policy, ALPN,
 * certificate reload while running, and the plain-HTTP redirect.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { createProxyServer } from 'http-proxy-3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { watchListenerCertificates, type CertificateWatcher } from '../../proxy/listeners/certificate-watcher.js';
import type { GatewayLogger } from '../../proxy/logs/gateway-logger.js';
import { createHttpsListenerServer, type HttpsListenerServer } from '../../proxy/listeners/https-listener.js';
import { createHttpsRedirectHandler } from '../../proxy/routing/https-redirect.js';
import { loadListenerTls, type LoadedListenerTls } from '../../proxy/listeners/tls-certificates.js';
import { makeCertificate, type TestCertificate } from '../support/test-certificates.js';
import { listenOnLoopback } from '../support/loopback-server.js';

let dir: string;
let site: TestCertificate;
let other: TestCertificate;
let shop: TestCertificate;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-tls-listener-'));
  site = makeCertificate(dir, { commonName: 'intranet.corp.local' });
  other = makeCertificate(dir, { commonName: 'other.corp.local' });
  shop = makeCertificate(dir, { commonName: 'shop.corp.local', dnsNames: ['*.shop.local'] });
});

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hello = (req: http.IncomingMessage, res: http.ServerResponse): void => {
  res.end(`hello over ${(req.socket as tls.TLSSocket).getProtocol?.() ?? 'h2'}`);
};

async function listen(server: HttpsListenerServer | http.Server): Promise<number> {
  await listenOnLoopback(server);
  const sockets = new Set<net.Socket>();
  server.on('secureConnection', (socket: net.Socket) => sockets.add(socket));
  server.on('connection', (socket: net.Socket) => sockets.add(socket));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return (server.address() as net.AddressInfo).port;
}

function peerSubject(port: number, servername: string | undefined, extra: tls.ConnectionOptions = {}): Promise<{ subject: string; protocol: string | null; alpn: string | false | null }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...(servername ? { servername } : {}), ...extra }, () => {
      const cert = socket.getPeerCertificate();
      resolve({ subject: `CN=${String(cert.subject.CN)}`, protocol: socket.getProtocol(), alpn: socket.alpnProtocol });
      socket.end();
    });
    socket.on('error', reject);
  });
}

function getText(port: number, ca: Buffer | string, servername = 'intranet.corp.local'): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = https.get({ host: '127.0.0.1', port, path: '/', ca, servername, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
  });
}

function load(config: Parameters<typeof loadListenerTls>[0]): LoadedListenerTls {
  return loadListenerTls(config, { baseDir: dir, field: 'listeners[0].tls' });
}

describe('HTTPS listener', () => {
  it('serves with a PFX certificate that a client trusting it verifies', async () => {
    const { server } = createHttpsListenerServer(load({ pfxPath: site.pfxPath, passphrase: site.passphrase }), hello);
    const port = await listen(server);
    expect(await getText(port, readFileSync(site.certPath))).toMatch(/^hello over TLSv1\.[23]$/);
  });

  it('serves with a PEM certificate and key', async () => {
    const { server } = createHttpsListenerServer(load({ certPath: site.certPath, keyPath: site.keyPath }), hello);
    const port = await listen(server);
    expect((await peerSubject(port, 'intranet.corp.local')).subject).toBe('CN=intranet.corp.local');
  });

  it('refuses clients that only speak TLS 1.1 or older', async () => {
    const { server } = createHttpsListenerServer(load({ pfxPath: site.pfxPath, passphrase: site.passphrase }), hello);
    const port = await listen(server);
    await expect(peerSubject(port, undefined, { maxVersion: 'TLSv1.1', minVersion: 'TLSv1' })).rejects.toThrow();
    expect((await peerSubject(port, undefined, { maxVersion: 'TLSv1.2' })).protocol).toBe('TLSv1.2');
  });

  it('picks the certificate by SNI: exact name, wildcard, default otherwise', async () => {
    const loaded = load({
      pfxPath: site.pfxPath,
      passphrase: site.passphrase,
      sni: [
        { hostnames: ['other.corp.local'], certPath: other.certPath, keyPath: other.keyPath },
        { hostnames: ['*.shop.local'], pfxPath: shop.pfxPath, passphrase: shop.passphrase },
      ],
    });
    const { server } = createHttpsListenerServer(loaded, hello);
    const port = await listen(server);
    expect((await peerSubject(port, 'other.corp.local')).subject).toBe('CN=other.corp.local');
    expect((await peerSubject(port, 'OTHER.corp.local')).subject).toBe('CN=other.corp.local');
    expect((await peerSubject(port, 'www.shop.local')).subject).toBe('CN=shop.corp.local');
    expect((await peerSubject(port, 'a.b.shop.local')).subject).toBe('CN=intranet.corp.local');
    expect((await peerSubject(port, 'intranet.corp.local')).subject).toBe('CN=intranet.corp.local');
    expect((await peerSubject(port, undefined)).subject).toBe('CN=intranet.corp.local');
  });

  it('offers only HTTP/1.1 by ALPN unless HTTP/2 is switched on', async () => {
    const plain = createHttpsListenerServer(load({ pfxPath: site.pfxPath, passphrase: site.passphrase }), hello);
    const port = await listen(plain.server);
    expect((await peerSubject(port, undefined, { ALPNProtocols: ['h2', 'http/1.1'] })).alpn).toBe('http/1.1');

    const withH2 = createHttpsListenerServer(load({ pfxPath: site.pfxPath, passphrase: site.passphrase }), hello, { http2: true });
    const h2Port = await listen(withH2.server);
    expect((await peerSubject(h2Port, undefined, { ALPNProtocols: ['h2', 'http/1.1'] })).alpn).toBe('h2');
  });

  it('forwards HTTP/2 and HTTP/1.1 clients through http-proxy-3 to an HTTP/1.1 backend', async () => {
    const backend = http.createServer((req, res) => {
      res.setHeader('connection', 'keep-alive');
      res.setHeader('keep-alive', 'timeout=5');
      res.end(`backend saw ${req.method} ${req.url} host=${req.headers.host} http/${req.httpVersion}`);
    });
    const backendPort = await listen(backend);
    const proxy = createProxyServer({ agent: new http.Agent({ keepAlive: true }) });
    cleanups.push(() => proxy.close());
    const { server } = createHttpsListenerServer(
      load({ pfxPath: site.pfxPath, passphrase: site.passphrase }),
      (req, res) => void proxy.web(req, res, { target: `http://127.0.0.1:${backendPort}` }),
      { http2: true },
    );
    const port = await listen(server);

    const client = http2.connect(`https://127.0.0.1:${port}`, { rejectUnauthorized: false });
    cleanups.push(() => void client.close());
    const stream = client.request({ ':path': '/h2?x=1', ':authority': 'intranet.corp.local' });
    let body = '';
    stream.on('data', (chunk: Buffer) => (body += chunk.toString()));
    await new Promise((resolve) => stream.on('end', resolve));
    expect(body).toBe('backend saw GET /h2?x=1 host=intranet.corp.local http/1.1');

    expect(await getText(port, readFileSync(site.certPath))).toBe('backend saw GET / host=127.0.0.1:' + port + ' http/1.1');
  });
});

describe('certificate reload', () => {
  const messages: string[] = [];
  const logger: GatewayLogger = {
    info: (m) => messages.push(`info ${m}`),
    warn: (m, f) => messages.push(`warn ${m} ${String(f?.reason ?? '')}`),
    error: (m) => messages.push(`error ${m}`),
  };

  async function until(check: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('condition not met within 5 s');
  }

  it('serves a replaced certificate to new connections without a restart', async () => {
    const live = mkdtempSync(join(dir, 'live-'));
    copyFileSync(site.certPath, join(live, 'site.crt'));
    copyFileSync(site.keyPath, join(live, 'site.key'));
    const config = { certPath: join(live, 'site.crt'), keyPath: join(live, 'site.key') };
    const { server, certificates } = createHttpsListenerServer(load(config), hello);
    const port = await listen(server);
    const watcher: CertificateWatcher = watchListenerCertificates({ certificates, reload: () => load(config), logger, label: 'listener :443', debounceMs: 50 });
    cleanups.push(() => watcher.close());
    expect((await peerSubject(port, undefined)).subject).toBe('CN=intranet.corp.local');

    copyFileSync(other.keyPath, join(live, 'site.key'));
    copyFileSync(other.certPath, join(live, 'site.crt'));
    await until(async () => (await peerSubject(port, undefined)).subject === 'CN=other.corp.local');
    expect(certificates.current.certificates[0]!.subject).toBe('CN=other.corp.local');
    expect(messages.some((m) => m.startsWith('info listener :443: certificate reloaded'))).toBe(true);
  });

  it('keeps the old certificate when the new file is bad, and says why', async () => {
    const live = mkdtempSync(join(dir, 'live-'));
    copyFileSync(site.pfxPath, join(live, 'site.pfx'));
    const config = { pfxPath: join(live, 'site.pfx'), passphrase: site.passphrase };
    const { server, certificates } = createHttpsListenerServer(load(config), hello);
    const port = await listen(server);
    const watcher = watchListenerCertificates({ certificates, reload: () => load(config), logger, label: 'listener :8443', debounceMs: 20 });
    cleanups.push(() => watcher.close());

    writeFileSync(join(live, 'site.pfx'), 'half a file');
    expect(watcher.reloadNow()).toBe(false);
    expect(messages.at(-1)).toMatch(/^warn listener :8443: new certificate not used, the previous one stays in service .*pfxPath is not a valid PFX/);
    expect((await peerSubject(port, undefined)).subject).toBe('CN=intranet.corp.local');
    expect(certificates.current.certificates[0]!.subject).toBe('CN=intranet.corp.local');
  });
});

describe('redirect to HTTPS', () => {
  function get(port: number, path: string, host?: string): Promise<{ status: number; location: string | undefined }> {
    return new Promise((resolve, reject) => {
      const headers = host === undefined ? {} : { host };
      const req = http.get({ host: '127.0.0.1', port, path, headers, agent: false, setHost: host === undefined }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, location: res.headers.location });
      });
      req.on('error', reject);
    });
  }

  it('answers 308 to the same host and path on the HTTPS port', async () => {
    const port = await listen(http.createServer(createHttpsRedirectHandler(8443)));
    expect(await get(port, '/app/page?x=1', 'intranet.corp.local:8080')).toEqual({ status: 308, location: 'https://intranet.corp.local:8443/app/page?x=1' });
    expect(await get(port, '/', '[::1]:8080')).toEqual({ status: 308, location: 'https://[::1]:8443/' });
  });

  it('leaves the port out for 443 and refuses a request with an unusable Host', async () => {
    const port = await listen(http.createServer(createHttpsRedirectHandler(443)));
    expect(await get(port, '/a', 'intranet.corp.local')).toEqual({ status: 308, location: 'https://intranet.corp.local/a' });
    expect((await get(port, '/a', 'evil.com/path@x')).status).toBe(400);
  });
});
