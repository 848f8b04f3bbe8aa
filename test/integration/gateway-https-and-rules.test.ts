import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FileConfigStore } from '../../proxy/config/config-store.js';
import { ConfigError } from '../../proxy/config/config-validation.js';
import { Gateway } from '../../proxy/gateway.js';
import { FileStateStore } from '../../proxy/config/state-store.js';
import { freePort } from '../../demo/free-port.js';
import { eventually, startGateway, TEST_TOKEN } from '../support/gateway-harness.js';
import { request, User } from '../support/http-client.js';
import { startBackends, type TestBackend } from '../support/test-backend.js';
import { stopAfterEach } from '../support/fixtures.js';
import { makeCertificate, type TestCertificate } from '../support/test-certificates.js';
import { closeServer, listenOnLoopback } from '../support/loopback-server.js';

const t = stopAfterEach();
const certDir = mkdtempSync(join(tmpdir(), 'sb-gw-certs-'));
let certificate: TestCertificate | undefined;

function siteCertificate(): TestCertificate {
  certificate ??= makeCertificate(certDir, { commonName: 'intranet.test', dnsNames: ['intranet.test'] });
  return certificate;
}


function httpsGet(port: number, path: string, ca: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get({ host: '127.0.0.1', port, path, ca, servername: 'intranet.test', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
  });
}

const webCluster = (backend: TestBackend, extra: Record<string, unknown> = {}) => ({
  id: 'web',
  name: 'Web',
  ...extra,
  servers: [{ id: 'a', name: 'A', url: backend.url }],
});

describe('HTTPS listeners through the gateway', () => {
  it('serves a PFX certificate, marks the session cookie Secure and tells the backend it was https', async () => {
    t.backends = await startBackends('a');
    const cert = siteCertificate();
    const httpsPort = await freePort();
    t.harness = await startGateway([webCluster(t.backends[0]!)]);
    await t.harness.stop();
    t.harness = await startGateway([webCluster(t.backends[0]!)], {
      listeners: [{ port: httpsPort, host: '127.0.0.1', tls: { pfxPath: cert.pfxPath, passphrase: cert.passphrase } }],
    });
    const ca = readFileSync(cert.certPath, 'utf8');
    const reply = await httpsGet(httpsPort, '/', ca);
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body).headers['x-forwarded-proto']).toBe('https');
    const cookie = (reply.headers['set-cookie'] as string[]).find((c) => c.startsWith('sb-web='))!;
    expect(cookie).toMatch(/; Secure$/);
    const state = await t.harness.control.getState();
    expect(state.listeners[0]).toMatchObject({ protocol: 'https', listening: true, certificates: [expect.objectContaining({ subject: 'CN=intranet.test' })] });
  });

  it('refuses to start with a wrong PFX passphrase, naming the field', async () => {
    const cert = siteCertificate();
    const directory = mkdtempSync(join(tmpdir(), 'sb-gw-'));
    const path = join(directory, 'switchboard.json');
    writeFileSync(path, JSON.stringify({
      listeners: [{ port: await freePort(), host: '127.0.0.1', tls: { pfxPath: cert.pfxPath, passphrase: 'wrong' } }],
      admin: { token: TEST_TOKEN },
    }));
    const gateway = new Gateway({ configStore: new FileConfigStore(path), stateStore: new FileStateStore(directory, 'switchboard') });
    const error = await gateway.start().then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues[0]!.path).toBe('listeners[0].tls.passphrase');
  });

  it('redirects a plain listener to HTTPS when asked to', async () => {
    t.backends = await startBackends('a');
    t.harness = await startGateway([webCluster(t.backends[0]!)]);
    const port = await freePort();
    await t.harness.stop();
    t.harness = await startGateway([webCluster(t.backends[0]!)], { listeners: [{ port, host: '127.0.0.1', redirectToHttps: { port: 8443 } }] });
    const reply = await request(`http://127.0.0.1:${port}/login?next=%2F`, { headers: { host: 'intranet.test' } });
    expect(reply.status).toBe(308);
    expect(reply.headers.location).toBe('https://intranet.test:8443/login?next=%2F');
  });
});

describe('access rules through the gateway', () => {
  it('applies the server-wide rule before routing and the route rule after', async () => {
    t.backends = await startBackends('a');
    t.harness = await startGateway([webCluster(t.backends[0]!)], {
      routes: [
        { host: '*', path: '/', cluster: 'web' },
        { host: '*', path: '/admin/', cluster: 'web', access: { mode: 'allow', addresses: ['10.0.0.0/8'], action: '403' } },
      ],
    });
    expect((await request(`${t.harness.url}/`)).status).toBe(200);
    const refused = await request(`${t.harness.url}/admin/users`);
    expect(refused.status).toBe(403);
    await t.harness.stop();
    t.harness = await startGateway([webCluster(t.backends[0]!)], { access: { mode: 'deny', addresses: ['127.0.0.0/8', '::1'], action: 'close' } });
    await expect(request(`${t.harness.url}/`, { freshConnection: true })).rejects.toThrow();
    expect(t.backends[0]!.served).toBe(1);
  });

  it('believes X-Forwarded-For only from trusted proxies, for rules and client-ip sessions', async () => {
    t.backends = await startBackends('a');
    const allowOffice = { mode: 'allow' as const, addresses: ['10.0.0.0/8'], action: '403' as const };
    t.harness = await startGateway([webCluster(t.backends[0]!, { sessionMethod: 'client-ip' })], { access: allowOffice, trustedProxies: ['127.0.0.1'] });
    const viaProxy = await request(`${t.harness.url}/`, { headers: { 'x-forwarded-for': '203.0.113.9, 10.1.2.3' } });
    expect(viaProxy.status).toBe(200);
    const sessions = await t.harness.control.listSessions('web', 'a');
    expect(sessions.sessions.map((s) => s.client)).toEqual(['10.1.2.3']);
    // The backend still learns the whole chain, with this gateway's peer appended.
    expect(JSON.parse(viaProxy.body).headers['x-forwarded-for']).toBe('203.0.113.9, 10.1.2.3, 127.0.0.1');
    expect((await request(`${t.harness.url}/`, { headers: { 'x-forwarded-for': '203.0.113.9' } })).status).toBe(403);
    await t.harness.stop();
    t.harness = await startGateway([webCluster(t.backends[0]!)], { access: allowOffice });
    expect((await request(`${t.harness.url}/`, { headers: { 'x-forwarded-for': '10.1.2.3' } })).status).toBe(403);
  });
});

describe('per-cluster forwarding options', () => {
  it('compresses compressible answers when the cluster says so, and sends a fixed Host', async () => {
    t.backends = await startBackends('a');
    const page = '<p>hello</p>'.repeat(400);
    t.backends[0]!.handlers.set('/page', (req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'x-seen-host': req.headers.host ?? '' });
      res.end(page);
    });
    t.harness = await startGateway([webCluster(t.backends[0]!, { compression: { enabled: true }, hostHeader: { mode: 'fixed', value: 'app.internal' } })]);
    const raw = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      http.get(`${t.harness!.url}/page`, { headers: { 'accept-encoding': 'gzip', host: 'portal.test' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      }).on('error', reject);
    });
    expect(raw.headers['content-encoding']).toBe('gzip');
    expect(raw.headers.vary).toMatch(/accept-encoding/i);
    expect(raw.headers['x-seen-host']).toBe('app.internal');
    expect(zlib.gunzipSync(raw.body).toString()).toBe(page);
    // Without compression configured, the same answer goes out as it came.
    await t.harness.control.updateCluster('web', { compression: { enabled: false } });
    const plain = await request(`${t.harness.url}/page`, { headers: { 'accept-encoding': 'gzip' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(page);
  });
});

describe('logs', () => {
  it('writes the access log while it is switched on, and gateway events to the event log', async () => {
    t.backends = await startBackends('a');
    t.harness = await startGateway([webCluster(t.backends[0]!)]);
    const user = new User(t.harness.url);
    await user.get('/before');
    await t.harness.control.as('dashboard').updateSettings({ logs: { accessLog: { enabled: true, retentionDays: 7 } } });
    await user.get('/after?q=1');
    const logDir = join(t.harness.directory, 'logs');
    await eventually(async () => {
      await t.harness!.gateway.accessLog.flush();
      const file = readdirSync(logDir).find((name) => /^switchboard_\d{8}\.log$/.test(name));
      expect(file).toBeDefined();
      const lines = readFileSync(join(logDir, file!), 'utf8').split('\n');
      expect(lines).toContain('#Version: 1.0');
      const entries = lines.filter((line) => line && !line.startsWith('#'));
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatch(/ GET \/after q=1 200 /);
      expect(entries[0]).toMatch(/ web a [A-Za-z0-9_-]{8}$/);
    });
    await eventually(async () => {
      const events = readdirSync(logDir).find((name) => name.startsWith('switchboard-events_'));
      expect(readFileSync(join(logDir, events!), 'utf8')).toMatch(/configuration changed: settings changed: logs source=dashboard/);
    });
  });

  it('names a client-IP session by the whole client address, where a cookie session gets 8 characters', async () => {
    t.backends = await startBackends('a');
    t.harness = await startGateway([webCluster(t.backends[0]!, { sessionMethod: 'client-ip' })], { logs: { accessLog: { enabled: true } } });
    await new User(t.harness.url).get('/page');
    const logDir = join(t.harness.directory, 'logs');
    await eventually(async () => {
      await t.harness!.gateway.accessLog.flush();
      const file = readdirSync(logDir).find((name) => /^switchboard_\d{8}\.log$/.test(name));
      const entries = readFileSync(join(logDir, file!), 'utf8').split('\n').filter((line) => line && !line.startsWith('#'));
      expect(entries.at(-1)).toMatch(/ GET \/page - 200 .* web a 127\.0\.0\.1$/);
    });
  });
});

describe('settings through the control API', () => {
  it('adds an HTTPS listener at runtime, and rejects a bad certificate whole', async () => {
    t.backends = await startBackends('a');
    t.harness = await startGateway([webCluster(t.backends[0]!)]);
    const cert = siteCertificate();
    const control = t.harness.control;
    const plain = (await control.getConfig()).listeners[0]!;
    const fileBefore = readFileSync(t.harness.configPath, 'utf8');
    const bad = await control
      .updateSettings({ listeners: [plain, { port: await freePort(), host: '127.0.0.1', tls: { pfxPath: join(certDir, 'missing.pfx'), passphrase: 'x' } }] })
      .then(() => null, (e: { issues?: { path: string }[] }) => e);
    expect(bad?.issues?.[0]?.path).toBe('listeners[1].tls.pfxPath');
    expect(readFileSync(t.harness.configPath, 'utf8')).toBe(fileBefore);

    const httpsPort = await freePort();
    await control.as('dashboard').updateSettings({ listeners: [plain, { port: httpsPort, host: '127.0.0.1', tls: { certPath: cert.certPath, keyPath: cert.keyPath } }] });
    await eventually(async () => {
      const reply = await httpsGet(httpsPort, '/', readFileSync(cert.certPath, 'utf8'));
      expect(reply.status).toBe(200);
    });
    // The plain listener was kept as it was.
    expect((await request(`${t.harness.url}/`)).status).toBe(200);
  });

  it('forwards to an https backend trusted by its fingerprint, and health-checks it the same way', async () => {
    const cert = makeCertificate(certDir, { commonName: 'backend.test', name: 'backend' });
    const backend = https.createServer({ cert: readFileSync(cert.certPath), key: readFileSync(cert.keyPath) }, (req, res) => {
      res.end(`secure backend saw ${req.url}`);
    });
    await listenOnLoopback(backend);
    const port = (backend.address() as { port: number }).port;
    try {
      t.harness = await startGateway([
        {
          id: 'web', name: 'Web', healthCheck: { type: 'http', path: '/health', intervalSec: 1 },
          servers: [{ id: 'secure', name: 'Secure', url: `https://127.0.0.1:${port}`, tlsFingerprint: cert.fingerprint256 }],
        },
      ]);
      const reply = await request(`${t.harness.url}/hello`);
      expect(reply.body).toBe('secure backend saw /hello');
      await new Promise((resolve) => setTimeout(resolve, 1300));
      const server = (await t.harness.control.getState()).clusters[0]!.servers[0]!;
      expect(server.health.lastCheckAt).not.toBeNull();
      expect(server.state).toBe('active');
      // A wrong fingerprint is a server that cannot be trusted: nothing reaches it.
      const firstByte = parseInt(cert.fingerprint256.slice(0, 2), 16);
      const wrong = ((firstByte ^ 0xff).toString(16).padStart(2, '0') + cert.fingerprint256.slice(2)).toUpperCase();
      await t.harness.control.updateServer('web', 'secure', { tlsFingerprint: wrong });
      expect((await request(`${t.harness.url}/hello`)).status).toBe(502);
    } finally {
      backend.closeAllConnections();
      await closeServer(backend);
    }
  });
});
