/**
 * The gateway settings in real Chromium against a real headless gateway: the access log switched on
 * from the panel, an HTTPS listener added with a certificate made here and used by a real TLS
 * client, a wrong certificate path refused next to its field, a redirecting listener added and
 * removed, access rules, compression and a trusted backend certificate per cluster, and
 * `#server=` bringing a server into view.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer, request as httpsRequest, type Server as HttpsServer } from 'node:https';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { GatewayConfig, GatewaySnapshot } from '../../proxy/control/control-api.js';
import { makeCertificate, type TestCertificate } from '../support/test-certificates.js';
import { launchChromium, saveGatewayLog, screenshot } from './browser.js';
import { freePort, startGateway, type RunningGateway } from './gateway-process.js';
import { listenOnLoopback } from '../support/loopback-server.js';

const VIEWPORT = { width: 1280, height: 900 };
const ACTION_TIMEOUT_MS = 8000;

let gateway: RunningGateway;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let certificateDir: string;
let certificate: TestCertificate;
let httpsPort: number;
let httpsBackend: HttpsServer | undefined;

async function config(): Promise<GatewayConfig> {
  return (await gateway.api<GatewayConfig>('GET', '/api/config')).body;
}

function settingsDialog() {
  return page.getByRole('dialog', { name: 'Gateway settings' });
}

async function openSettings(tab: 'Listeners' | 'Access' | 'Logs') {
  if (!(await settingsDialog().isVisible())) await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await settingsDialog().getByRole('tab', { name: tab }).click();
}

async function closeSettings() {
  await settingsDialog().getByRole('button', { name: 'Close', exact: true }).click();
  await settingsDialog().waitFor({ state: 'detached' });
}

/** The field (label, input and its validation message) whose label is `label`, with or without the required mark. */
function field(label: string) {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return page.locator('.fui-Field').filter({ has: page.locator('label', { hasText: new RegExp(`^${escaped}\\s*\\*?$`) }) });
}

function httpsGet(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca, agent: false, servername: 'switchboard.test' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function httpGet(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; encoding: string | undefined; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent: false, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, encoding: res.headers['content-encoding'], location: res.headers.location }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  [gateway, browser] = await Promise.all([
    startGateway([{ id: 'web', name: 'Intranet', path: '/', servers: [{ id: 'a', name: 'App A' }, { id: 'b', name: 'App B' }] }]),
    launchChromium(),
  ]);
  certificateDir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-certs-'));
  certificate = makeCertificate(certificateDir, { commonName: 'switchboard.test' });
  httpsPort = await freePort();
  context = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light' });
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  page = await context.newPage();
  await page.goto(gateway.consoleUrl);
  await page.getByRole('slider', { name: 'Capacity of App A' }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  if (httpsBackend) {
    const closed = new Promise<void>((done) => httpsBackend!.close(() => done()));
    httpsBackend.closeAllConnections();
    await closed;
  }
  await gateway?.stop();
  if (certificateDir) rmSync(certificateDir, { recursive: true, force: true });
  saveGatewayLog('settings', gateway);
});

describe('gateway settings in the dashboard', () => {
  it('switches the access log on at once, and requests then land in a log file in the config folder', async () => {
    expect((await config()).logs.accessLog.enabled).toBe(false);
    await openSettings('Logs');
    const accessLog = settingsDialog().getByRole('switch', { name: 'Access log' });
    await accessLog.click();
    await expect.poll(async () => (await config()).logs.accessLog.enabled).toBe(true);
    await expect.poll(() => accessLog.isChecked()).toBe(true);
    await screenshot(page, 'settings-logs');

    const response = await httpGet(`${gateway.listenerUrl}/logged-request?n=1`);
    expect(response.status).toBe(200);
    const logDir = join(gateway.configDirectory, 'logs');
    const accessLogText = () => {
      const files = readdirSync(logDir, { withFileTypes: true }).filter((entry) => /^switchboard_\d{8}\.log$/.test(entry.name));
      return files.map((entry) => readFileSync(join(logDir, entry.name), 'utf8')).join('');
    };
    await expect.poll(accessLogText, { timeout: 6000 }).toContain('GET /logged-request n=1 200');
    expect(accessLogText()).toMatch(/^#Software: Switchboard/);
    await closeSettings();
  });

  it('adds an HTTPS listener with a PEM certificate, serves through it, and shows its certificate', async () => {
    await openSettings('Listeners');
    await settingsDialog().getByRole('button', { name: 'Add listener' }).click();
    await field('Port').locator('input').fill(String(httpsPort));
    await field('Address').locator('input').fill('127.0.0.1');
    await settingsDialog().getByRole('radio', { name: 'HTTPS with a PEM certificate and key' }).check();
    await field('Certificate file (PEM)').locator('input').fill(certificate.certPath);
    await field('Private key file (PEM)').locator('input').fill(certificate.keyPath);
    await screenshot(page, 'settings-listener-editor');
    await settingsDialog().getByRole('button', { name: 'Add listener' }).click();

    await expect.poll(async () => (await config()).listeners.length).toBe(2);
    const added = (await config()).listeners[1]!;
    expect(added).toMatchObject({ port: httpsPort, host: '127.0.0.1', tls: { certPath: certificate.certPath, keyPath: certificate.keyPath } });

    const through = await httpsGet(`https://127.0.0.1:${httpsPort}/over-tls`, readFileSync(certificate.certPath, 'utf8'));
    expect(through.status).toBe(200);
    expect(through.body).toMatch(/App [AB] answered GET \/over-tls/);

    const state = (await gateway.api<GatewaySnapshot>('GET', '/api/state')).body;
    const status = state.listeners.find((l) => l.port === httpsPort)!;
    expect(status.protocol).toBe('https');
    const subject = status.certificates![0]!.subject;
    expect(subject).toContain('switchboard.test');

    const item = settingsDialog().getByRole('group', { name: `Listener on port ${httpsPort}` });
    await expect.poll(() => item.getByTestId('listener-protocol').textContent()).toBe('HTTPS');
    await expect.poll(() => item.textContent()).toContain('Listening');
    await expect.poll(() => item.getByTestId('listener-certificate').textContent()).toContain(subject);
    await screenshot(page, 'settings-listeners');
  });

  it('shows the gateway’s message next to a wrong certificate path and changes nothing', async () => {
    const before = await config();
    await openSettings('Listeners');
    await settingsDialog().getByRole('button', { name: `Edit the listener on port ${httpsPort}` }).click();
    const missing = join(certificateDir, 'no-such.crt');
    await field('Certificate file (PEM)').locator('input').fill(missing);
    await settingsDialog().getByRole('button', { name: 'Save listener' }).click();

    await expect.poll(() => field('Certificate file (PEM)').textContent()).toContain('does not exist');
    expect(await field('Certificate file (PEM)').textContent()).toContain(missing);
    expect(await field('Private key file (PEM)').textContent()).not.toContain('does not exist');
    await screenshot(page, 'settings-listener-error');

    expect(await config()).toEqual(before);
    const still = await httpsGet(`https://127.0.0.1:${httpsPort}/still-served`, readFileSync(certificate.certPath, 'utf8'));
    expect(still.status).toBe(200);
    await settingsDialog().getByRole('button', { name: 'Cancel' }).click();
    await closeSettings();
  });

  it('adds a plain listener that redirects to the HTTPS one, and removes it after confirming', async () => {
    const redirectPort = await freePort();
    await openSettings('Listeners');
    await settingsDialog().getByRole('button', { name: 'Add listener' }).click();
    await field('Port').locator('input').fill(String(redirectPort));
    await field('Address').locator('input').fill('127.0.0.1');
    await settingsDialog().getByRole('radio', { name: 'HTTP', exact: true }).check();
    await settingsDialog().getByRole('checkbox', { name: /Redirect every request to HTTPS/ }).check();
    await field('HTTPS port').locator('input').fill(String(httpsPort));
    await settingsDialog().getByRole('button', { name: 'Add listener' }).click();

    await expect.poll(async () => (await config()).listeners.length).toBe(3);
    expect((await config()).listeners[2]).toEqual({ port: redirectPort, host: '127.0.0.1', redirectToHttps: { port: httpsPort } });
    const redirected = await httpGet(`http://127.0.0.1:${redirectPort}/somewhere?x=1`);
    expect(redirected.status).toBe(308);
    expect(redirected.location).toBe(`https://127.0.0.1:${httpsPort}/somewhere?x=1`);
    const item = settingsDialog().getByRole('group', { name: `Listener on port ${redirectPort}` });
    await expect.poll(() => item.textContent()).toContain(`Redirects every request to HTTPS on port ${httpsPort}`);

    await item.getByRole('button', { name: `Remove the listener on port ${redirectPort}` }).click();
    expect((await config()).listeners).toHaveLength(3);
    await item.getByRole('button', { name: 'Remove', exact: true }).click();
    await expect.poll(async () => (await config()).listeners.map((l) => l.port)).toEqual([
      Number(new URL(gateway.listenerUrl).port),
      httpsPort,
    ]);
    await expect(httpGet(`http://127.0.0.1:${redirectPort}/`)).rejects.toThrow(/ECONNREFUSED/);
    await closeSettings();
  });

  it('saves a server-wide access rule and trusted proxies, placing a bad address on its line', async () => {
    await openSettings('Access');
    await settingsDialog().getByRole('combobox', { name: 'Who may use the gateway' }).selectOption('deny');
    await field('Addresses').locator('textarea').fill('203.0.113.0/24\nnot-an-address');
    await field('Trusted proxies').locator('textarea').fill('10.0.0.10');
    await settingsDialog().getByRole('button', { name: 'Save access rules' }).click();
    await expect.poll(() => field('Addresses').textContent()).toContain('Line 2 must be an IP address');
    expect((await config()).access).toBeUndefined();

    await field('Addresses').locator('textarea').fill('203.0.113.0/24');
    await settingsDialog().getByRole('button', { name: 'Save access rules' }).click();
    await expect.poll(async () => (await config()).access).toEqual({ mode: 'deny', addresses: ['203.0.113.0/24'], action: '403' });
    expect((await config()).trustedProxies).toEqual(['10.0.0.10']);
    expect((await httpGet(`${gateway.listenerUrl}/allowed`)).status).toBe(200);
    await screenshot(page, 'settings-access');
    await closeSettings();
  });

  it('switches compression on for a cluster, and responses come back compressed', async () => {
    await page.getByRole('button', { name: 'More actions for cluster Intranet' }).click();
    await page.getByRole('menuitem', { name: 'Cluster settings…' }).click();
    const compress = page.getByRole('switch', { name: 'Compress responses' });
    await expect.poll(() => compress.isEnabled()).toBe(true);
    await compress.click();
    await field('Only responses of at least (bytes)').locator('input').fill('0');
    await screenshot(page, 'settings-cluster');
    await page.getByRole('dialog').getByRole('button', { name: 'Save', exact: true }).click();

    await expect.poll(async () => (await config()).clusters[0]!.compression).toMatchObject({ enabled: true, minBytes: 0 });
    expect((await config()).clusters[0]!.hostHeader).toEqual({ mode: 'keep' });
    const response = await httpGet(`${gateway.listenerUrl}/compressed`, { 'Accept-Encoding': 'gzip' });
    expect(response.status).toBe(200);
    expect(response.encoding).toBe('gzip');
  });

  it('adds an https:// server trusted by its certificate fingerprint, which then passes its health checks', async () => {
    httpsBackend = createHttpsServer({ cert: readFileSync(certificate.certPath), key: readFileSync(certificate.keyPath) }, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('secure backend\n');
    });
    await listenOnLoopback(httpsBackend!);
    const backendUrl = `https://127.0.0.1:${(httpsBackend.address() as AddressInfo).port}`;

    const card = page.getByRole('region', { name: 'Cluster Intranet' });
    await card.getByRole('button', { name: 'Add server' }).click();
    await field('Name').locator('input').fill('Secure App');
    const fingerprintField = field('Trust self-signed certificate (SHA-256 fingerprint)');
    await field('URL').locator('input').fill('http://127.0.0.1:1');
    expect(await fingerprintField.count()).toBe(0);
    await field('URL').locator('input').fill(backendUrl);
    await fingerprintField.locator('input').fill('AA:BB');
    await page.getByRole('dialog').getByRole('button', { name: 'Add server', exact: true }).click();
    await expect.poll(() => fingerprintField.textContent()).toContain('Must be a SHA-256 fingerprint');

    await fingerprintField.locator('input').fill(certificate.fingerprint256);
    await page.getByRole('dialog').getByRole('button', { name: 'Add server', exact: true }).click();
    await expect.poll(async () => (await config()).clusters[0]!.servers.find((s) => s.name === 'Secure App')?.tlsFingerprint).toBe(
      certificate.fingerprint256,
    );
    // A passed check, not the benefit of the doubt a new server starts with.
    const checkedOnline = async () => {
      const server = (await gateway.state()).clusters[0]!.servers.find((s) => s.name === 'Secure App');
      return server !== undefined && server.online && server.health.consecutiveSuccesses > 0;
    };
    await expect.poll(checkedOnline, { timeout: 8000 }).toBe(true);
  });

  it('brings the server named in #server= into view and highlights it, on load and on a later hash change', async () => {
    // Short enough that App B's row starts below the fold and must be scrolled to.
    await page.setViewportSize({ width: 1280, height: 320 });
    await page.goto(`${gateway.adminUrl}/#server=web/b`);
    const rowB = page.locator('[data-cluster-id="web"][data-server-id="b"]');
    await expect.poll(() => rowB.getAttribute('data-highlighted')).toBe('true');
    await expect.poll(async () => {
      const box = await rowB.boundingBox();
      return box !== null && box.y >= 0 && box.y + box.height <= 320;
    }).toBe(true);
    // An expression as text: this file is type-checked without the DOM library.
    expect(await page.evaluate('window.scrollY')).toBeGreaterThan(0);
    expect(page.url()).not.toContain('server=');
    await screenshot(page, 'settings-highlight', { fullPage: false });

    await page.evaluate("window.location.hash = 'server=web/a'");
    const rowA = page.locator('[data-cluster-id="web"][data-server-id="a"]');
    await expect.poll(() => rowA.getAttribute('data-highlighted')).toBe('true');
    await expect.poll(() => rowB.getAttribute('data-highlighted'), { timeout: 6000 }).toBeNull();
    await expect.poll(() => rowA.getAttribute('data-highlighted'), { timeout: 6000 }).toBeNull();
    await page.setViewportSize(VIEWPORT);
  });

  it('signs in from a console link that also names a server', async () => {
    const other = await browser.newContext({ viewport: VIEWPORT });
    other.setDefaultTimeout(ACTION_TIMEOUT_MS);
    try {
      const fresh = await other.newPage();
      await fresh.goto(`${gateway.consoleUrl}&server=web/a`);
      const rowA = fresh.locator('[data-cluster-id="web"][data-server-id="a"]');
      await expect.poll(() => rowA.getAttribute('data-highlighted')).toBe('true');
      expect(fresh.url()).not.toContain('token');
      expect(fresh.url()).not.toContain('server=');
    } finally {
      await other.close();
    }
  });
});
