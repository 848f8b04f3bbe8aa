/**
 * HTTPS backends whose certificate comes from a trusted CA, without a tlsFingerprint: the
 * certificate must name the host in the server's URL, never the host the client asked for. The
 * gateway runs as headless mode in a child process whose NODE_EXTRA_CA_CERTS lists the test
 * certificates: a Node process cannot trust another CA once started, and with the chain trusted the
 * name check alone decides.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../demo/free-port.js';
import type { ClusterSnapshot, ServerSnapshot } from '../../proxy/control/control-snapshot.js';
import { startHeadless, type Headless } from '../support/headless-process.js';
import { User } from '../support/http-client.js';
import { closeServer, listenOnLoopback } from '../support/loopback-server.js';
import { exchange } from '../support/raw-http.js';
import { makeCertificate, type TestCertificate } from '../support/test-certificates.js';

const TOKEN = 'tls-names-test-token-0123';
/** The name on the impostor's certificate, and the one a client may put in its Host header. */
const IMPOSTOR_NAME = 'backend.test';

interface RecordingBackend {
  port: number;
  /** Every request it received: its Host header, and the name the TLS connection asked for (SNI). */
  requests: { host: string; servername: string | null }[];
}

let workDir: string;
let trustedPem: string;
let honestCert: TestCertificate;
let impostorCert: TestCertificate;
const servers: https.Server[] = [];

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'switchboard-tls-names-'));
  honestCert = makeCertificate(workDir, { commonName: 'honest', dnsNames: ['localhost'] });
  impostorCert = makeCertificate(workDir, { commonName: IMPOSTOR_NAME, dnsNames: [IMPOSTOR_NAME], ipAddresses: [] });
  // A self-signed certificate listed here counts as a trusted root: both chains verify.
  trustedPem = join(workDir, 'trusted.pem');
  writeFileSync(trustedPem, readFileSync(honestCert.certPath, 'utf8') + readFileSync(impostorCert.certPath, 'utf8'));
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => closeServer(server)));
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

async function startBackend(cert: TestCertificate, answer: string): Promise<RecordingBackend> {
  const requests: RecordingBackend['requests'] = [];
  const server = https.createServer({ cert: readFileSync(cert.certPath), key: readFileSync(cert.keyPath) }, (req, res) => {
    requests.push({ host: req.headers.host ?? '', servername: (req.socket as TLSSocket).servername || null });
    res.end(answer);
  });
  servers.push(server);
  return { port: await listenOnLoopback(server), requests };
}

interface Gateway {
  headless: Headless;
  port: number;
  baseUrl: string;
  server: (clusterId: string) => Promise<ServerSnapshot>;
}

/**
 * Headless mode trusting the test certificates, with a cluster per backend: `/impostor/` goes to
 * the impostor, everything else to the honest server. `healthCheck` applies to both clusters;
 * the servers' URLs name `backendHost`.
 */
async function startTrustingGateway(honest: RecordingBackend, impostor: RecordingBackend, healthCheck: object, backendHost = '127.0.0.1'): Promise<Gateway> {
  const port = await freePort();
  const adminPort = await freePort();
  const configPath = join(workDir, `gateway-${port}.json`);
  const cluster = (id: string, backend: RecordingBackend) => ({ id, name: id, healthCheck, servers: [{ id, name: id, url: `https://${backendHost}:${backend.port}` }] });
  writeFileSync(
    configPath,
    JSON.stringify({
      listeners: [{ port, host: '127.0.0.1' }],
      admin: { host: '127.0.0.1', port: adminPort, token: TOKEN },
      routes: [
        { host: '*', path: '/impostor/', cluster: 'impostor' },
        { host: '*', path: '/', cluster: 'honest' },
      ],
      clusters: [cluster('honest', honest), cluster('impostor', impostor)],
    }),
  );
  const headless = startHeadless(configPath, { workDir, env: { NODE_EXTRA_CA_CERTS: trustedPem } });
  await headless.waitForOutput(new RegExp(`Gateway listening on http://127\\.0\\.0\\.1:${port}`));
  const server = async (clusterId: string): Promise<ServerSnapshot> => {
    const state = await fetch(`http://127.0.0.1:${adminPort}/api/state`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    const { clusters } = (await state.json()) as { clusters: ClusterSnapshot[] };
    return clusters.find((c) => c.id === clusterId)!.servers[0]!;
  };
  return { headless, port, baseUrl: `http://127.0.0.1:${port}`, server };
}

/** A request carrying what must never reach an impostor: a password and a session cookie. */
function login(host: string): string {
  return `GET /impostor/login?password=hunter2 HTTP/1.1\r\nHost: ${host}\r\nCookie: app=session-secret\r\n\r\n`;
}

describe('an HTTPS backend trusted through a CA, without a fingerprint', () => {
  it('gets requests when its certificate names the IP address in its URL, and an impostor with another name gets not one', async () => {
    const honest = await startBackend(honestCert, 'honest answer');
    const impostor = await startBackend(impostorCert, 'impostor answer');
    const gateway = await startTrustingGateway(honest, impostor, { type: 'tcp', intervalSec: 3600, unhealthyAfter: 2 });
    await expect.poll(async () => (await gateway.server('impostor')).state).toBe('active');

    // The chain is trusted at all: the honest server answers, twice within the user's cookie session.
    const user = new User(gateway.baseUrl, true);
    expect((await user.get('/')).body).toBe('honest answer');
    expect(user.cookies.size).toBe(1);
    expect(await user.get('/')).toMatchObject({ status: 200, body: 'honest answer' });
    expect(honest.requests).toHaveLength(2);
    // TLS allows no IP address as SNI.
    expect(honest.requests.map((r) => r.servername)).toEqual([null, null]);

    // A client naming the impostor's certificate in its Host header changes nothing: the
    // certificate must name 127.0.0.1, the server's URL. The second request finds the connection
    // the first one failed on: it is answered too, not left waiting.
    expect((await exchange(gateway.port, login(IMPOSTOR_NAME), { timeoutMs: 5000 })).status).toBe(502);
    expect((await exchange(gateway.port, login(`127.0.0.1:${gateway.port}`), { timeoutMs: 5000 })).status).toBe(502);
    expect(impostor.requests).toEqual([]);

    // Two failed requests put the server offline, saying why.
    const offline = await gateway.server('impostor');
    expect(offline.state).toBe('offline');
    expect(offline.health.lastError).toContain("does not match certificate's altnames");
    expect(gateway.headless.output()).toMatch(/impostor is offline .*does not match certificate's altnames/);
    expect((await gateway.server('honest')).state).toBe('active');
  });

  it('fails its http health check when its certificate names another host, while a server with the right name stays online', async () => {
    const honest = await startBackend(honestCert, 'honest answer');
    const impostor = await startBackend(impostorCert, 'impostor answer');
    // The probes' Host header names the impostor's certificate; the check still uses the URL's host.
    const gateway = await startTrustingGateway(honest, impostor, { type: 'http', host: IMPOSTOR_NAME, intervalSec: 1, unhealthyAfter: 1 });

    await expect.poll(async () => (await gateway.server('impostor')).health.lastError ?? '').toContain("does not match certificate's altnames");
    expect((await gateway.server('impostor')).state).toBe('offline');
    await expect.poll(() => honest.requests.length).toBeGreaterThanOrEqual(2);
    expect((await gateway.server('honest')).state).toBe('active');
    expect(impostor.requests).toEqual([]);
  });

  it('is checked against the host name in its URL, whatever name the client used', async () => {
    const honest = await startBackend(honestCert, 'honest answer');
    const impostor = await startBackend(impostorCert, 'impostor answer');
    const gateway = await startTrustingGateway(honest, impostor, { type: 'tcp', intervalSec: 3600, unhealthyAfter: 5 }, 'localhost');
    await expect.poll(async () => (await gateway.server('impostor')).state).toBe('active');

    // The honest certificate names localhost, not the name the browser used for the site.
    const user = new User(gateway.baseUrl, true);
    expect(await user.get('/', { host: 'intranet.example' })).toMatchObject({ status: 200, body: 'honest answer' });
    expect(honest.requests).toEqual([{ host: 'intranet.example', servername: 'localhost' }]);

    expect((await exchange(gateway.port, login(IMPOSTOR_NAME), { timeoutMs: 5000 })).status).toBe(502);
    expect(impostor.requests).toEqual([]);
    expect((await gateway.server('impostor')).health.lastError).toContain("Host: localhost. is not in the cert's altnames: DNS:backend.test");
  });
});
