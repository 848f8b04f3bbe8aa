/**
 * `--smoke-test`: proves the desktop app under the real Electron binary, then exits 0, or 1 with
 * the reason. It needs the gateway (its own, or the Windows service it attached to) to answer, a
 * request served through a listener, the admin API over HTTP, and the dashboard rendered in a
 * hidden window with a value it got from the gateway over IPC: this exercises the ES-module main
 * process, the preload, `file://` module scripts and the context bridge together.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http, { type Server } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browsableHost } from '../proxy/admin/admin-server.js';
import type { GatewaySnapshot } from '../proxy/control/control-api.js';
import { freePort } from '../demo/free-port.js';
import { AdminApiClient } from './admin-api-client.js';
import { messageOf } from './error-message.js';
import type { GatewayConnection } from './gateway/gateway-connection.js';

export const SMOKE_TEST_ARG = '--smoke-test';
export const SMOKE_BACKEND_BODY = 'switchboard smoke test backend';
export const SMOKE_SERVER_NAME = 'Smoke test server';
const SMOKE_ADMIN_TOKEN = 'smoke-test-admin-token-0123456789abcdef';

/** What the dashboard page evaluates: its visible text, read once the app has rendered. */
export const READ_RENDERED_TEXT = "document.getElementById('root')?.innerText ?? ''";

export interface PageReader {
  executeJavaScript(code: string): Promise<unknown>;
}

export interface SmokeTestOptions {
  connection: GatewayConnection;
  /** Opens the dashboard in a hidden window and gives access to its page. */
  openDashboard(): PageReader;
  /** In app mode: the body the smoke backend answers through the listener. Attached: null (any answer). */
  expectedBody: string | null;
  timeoutMs?: number;
  log(line: string): void;
}

export type SmokeResult = { ok: true } | { ok: false; reason: string };

export async function runSmokeTest(options: SmokeTestOptions): Promise<SmokeResult> {
  const { connection, log } = options;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  try {
    if (!(await connection.start())) {
      const status = connection.status;
      return fail(`the gateway did not start: ${'message' in status ? status.message : status.kind}`);
    }
    log(`gateway: ${connection.mode === 'service' ? 'attached to the Windows service' : 'running in the app'}`);

    const consoleUrl = connection.consoleUrl();
    if (consoleUrl === null) return fail('the gateway gave no admin API address');
    const [baseUrl, token] = splitConsoleUrl(consoleUrl);
    const state = await new AdminApiClient({ baseUrl, token }).getState();
    log(`admin API: ${baseUrl} answered with ${state.clusters.length} cluster(s)`);

    const listener = state.listeners.find((candidate) => candidate.listening);
    if (!listener) return fail('no listener is accepting connections');
    const answer = await get(`${listener.protocol}://${browsableHost(listener.host)}:${listener.port}/`);
    if (options.expectedBody !== null && answer.body !== options.expectedBody) {
      return fail(`the listener on port ${listener.port} answered ${answer.status} "${answer.body.slice(0, 200)}", not the smoke backend`);
    }
    log(`listener: port ${listener.port} answered ${answer.status}`);

    const expected = expectedDashboardText(state);
    const page = options.openDashboard();
    let text = '';
    while (Date.now() < deadline) {
      text = String(await page.executeJavaScript(READ_RENDERED_TEXT).catch(() => ''));
      if (text.includes(expected)) {
        log(`dashboard: rendered "${expected}" from the gateway`);
        return { ok: true };
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return fail(`the dashboard did not show "${expected}" in time; it showed: "${text.slice(0, 300)}"`);
  } catch (error) {
    return fail(messageOf(error));
  }
}

/**
 * A value the dashboard can only show after reading the gateway's state over IPC: a server's or
 * cluster's name, or the empty state's "No clusters yet" (renderer/src/components/Dashboard.tsx).
 */
function expectedDashboardText(state: GatewaySnapshot): string {
  const server = state.clusters.flatMap((cluster) => cluster.servers)[0];
  return server?.name ?? state.clusters[0]?.name ?? 'No clusters yet';
}

function fail(reason: string): SmokeResult {
  return { ok: false, reason };
}

function splitConsoleUrl(consoleUrl: string): [string, string] {
  const url = new URL(consoleUrl);
  const token = new URLSearchParams(url.hash.slice(1)).get('token') ?? '';
  return [url.origin, token];
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const client = url.startsWith('https:') ? https : http;
    // The listener's own certificate may be self-signed; this only checks that it answers.
    const request = client.get(url, { rejectUnauthorized: false, timeout: 10_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('timeout', () => request.destroy(new Error(`${url} did not answer in time`)));
    request.on('error', (error) => reject(new Error(`request through the listener ${url} failed: ${error.message}`)));
  });
}

export interface SmokeEnvironment {
  /** Where the app keeps its settings during the smoke test: never the user's own. */
  directory: string;
  backend: Server;
  close(): Promise<void>;
}

/**
 * For app mode: a backend answering a known body, and settings in a fresh folder routing every
 * request to it on free loopback ports, so the smoke test neither needs nor touches real settings.
 */
export async function prepareSmokeEnvironment(): Promise<SmokeEnvironment> {
  const backend = http.createServer((_request, response) => response.end(SMOKE_BACKEND_BODY));
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  const directory = mkdtempSync(join(tmpdir(), 'switchboard-smoke-'));
  const config = {
    listeners: [{ port: await freePort(), host: '127.0.0.1' }],
    admin: { host: '127.0.0.1', port: await freePort(), token: SMOKE_ADMIN_TOKEN },
    routes: [{ cluster: 'smoke' }],
    clusters: [
      {
        id: 'smoke',
        name: 'Smoke test',
        servers: [{ id: 'backend', name: SMOKE_SERVER_NAME, url: `http://127.0.0.1:${(backend.address() as AddressInfo).port}`, capacity: 100 }],
      },
    ],
  };
  writeFileSync(join(directory, 'switchboard.json'), JSON.stringify(config, null, 2));
  return {
    directory,
    backend,
    close: async () => {
      await new Promise<void>((resolve) => backend.close(() => resolve()));
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
