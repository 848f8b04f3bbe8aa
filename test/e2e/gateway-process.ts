/**
 * A real headless Switchboard for the dashboard tests: real backend HTTP servers on loopback, a
 * temporary config file, and `tsx proxy/headless.ts` serving the built dashboard. Everything it
 * starts is stopped by `stop()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { GatewaySnapshot, ServerSnapshot } from '../../proxy/control/control-api.js';
import { closeServer, listenOnLoopback } from '../support/loopback-server.js';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
const DASHBOARD_DIR = join(REPO_ROOT, 'dist/renderer');
const START_TIMEOUT_MS = 30_000;

export interface BackendSpec {
  id: string;
  name: string;
  capacity?: number;
}

export interface ClusterSpec {
  id: string;
  name: string;
  /** Route path prefix that leads to this cluster. */
  path: string;
  sessionTimeoutSec?: number;
  servers: BackendSpec[];
}

export interface RunningGateway {
  adminUrl: string;
  token: string;
  /** `http://127.0.0.1:<listener port>` */
  listenerUrl: string;
  consoleUrl: string;
  /** Backend URL per server id, for adding servers that really answer. */
  backendUrls: Map<string, string>;
  /** A spare backend that no configured server points at. */
  spareBackendUrl: string;
  /** The temporary folder holding the config file (and, by default, the `logs` folder). */
  configDirectory: string;
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  state(): Promise<GatewaySnapshot>;
  /** The server of that cluster with that name as the gateway reports it now, or undefined. */
  server(clusterId: string, name: string): Promise<ServerSnapshot | undefined>;
  output(): string;
  /** Stops only the gateway process (as a restart would), leaving the backends up. */
  stopGateway(): Promise<void>;
  /** Starts the gateway again with the same configuration and ports. */
  startGatewayAgain(): Promise<void>;
  /** Stops the gateway and the backends and deletes the temporary files. */
  stop(): Promise<void>;
}

export async function startGateway(clusters: ClusterSpec[]): Promise<RunningGateway> {
  const backends: Server[] = [];
  const backendUrls = new Map<string, string>();
  let child: ChildProcess | undefined;
  const directory = mkdtempSync(join(tmpdir(), 'switchboard-e2e-'));
  let output = '';

  const stopGateway = async () => {
    const running = child;
    if (!running || running.exitCode !== null || running.pid === undefined) return;
    const exited = new Promise<void>((done) => running.once('exit', () => done()));
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  const stop = async () => {
    await stopGateway();
    await Promise.all(backends.map(closeServer));
    rmSync(directory, { recursive: true, force: true });
  };

  try {
    for (const cluster of clusters) {
      for (const server of cluster.servers) {
        const backend = await startBackend(server.name);
        backends.push(backend.server);
        backendUrls.set(server.id, backend.url);
      }
    }
    const spare = await startBackend('Spare');
    backends.push(spare.server);

    const listenerPort = await freePort();
    const adminPort = await freePort();
    const token = randomBytes(18).toString('base64url');
    const config = {
      listeners: [{ port: listenerPort, host: '127.0.0.1' }],
      admin: { host: '127.0.0.1', port: adminPort, token },
      // Every simulated user comes from 127.0.0.1: no per-address session limit.
      limits: { sessionsPerClient: 0 },
      routes: clusters.map((cluster) => ({ host: '*', path: cluster.path, cluster: cluster.id })),
      clusters: clusters.map((cluster) => ({
        id: cluster.id,
        name: cluster.name,
        sessionTimeoutSec: cluster.sessionTimeoutSec ?? 1800,
        healthCheck: { type: 'http', path: '/', intervalSec: 2 },
        servers: cluster.servers.map((server) => ({
          id: server.id,
          name: server.name,
          url: backendUrls.get(server.id),
          capacity: server.capacity ?? 50,
        })),
      })),
    };
    const configPath = join(directory, 'switchboard.json');
    writeFileSync(configPath, JSON.stringify(config, null, 2));

    const spawnGateway = () => {
      // `tsx proxy/headless.ts` as one node process (no npx or tsx launcher in between), so that
      // SIGTERM reaches the gateway itself and it stops the way it does in production.
      child = spawn(process.execPath, ['--import', 'tsx', 'proxy/headless.ts', '--config', configPath, '--dashboard', DASHBOARD_DIR], {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    };
    spawnGateway();

    const adminUrl = `http://127.0.0.1:${adminPort}`;
    const api = async <T>(method: string, path: string, body?: unknown) => {
      const response = await fetch(adminUrl + path, {
        method,
        headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
    };
    const waitForGateway = () => waitUntilAnswering(() => api('GET', '/api/state'), () => child?.exitCode ?? null, () => output);
    await waitForGateway();
    const state = async () => (await api<GatewaySnapshot>('GET', '/api/state')).body;

    return {
      adminUrl,
      token,
      listenerUrl: `http://127.0.0.1:${listenerPort}`,
      consoleUrl: `${adminUrl}/#token=${encodeURIComponent(token)}`,
      backendUrls,
      spareBackendUrl: spare.url,
      configDirectory: directory,
      api,
      state,
      server: async (clusterId, name) => (await state()).clusters.find((c) => c.id === clusterId)?.servers.find((s) => s.name === name),
      output: () => output,
      stopGateway,
      async startGatewayAgain() {
        spawnGateway();
        await waitForGateway();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- gateway output ---\n${output}`);
  }
}

/**
 * Sends `count` requests without a cookie through the gateway, each starting a new session, and
 * returns their cookies so that a test can come back as the same users.
 */
/** New sessions: a first request each, and a second returning its cookie, which is when the gateway stores a session. */
export async function createSessions(listenerUrl: string, path: string, count: number): Promise<string[]> {
  const cookies: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await get(`${listenerUrl}${path}`);
    if (response.status !== 200) throw new Error(`request ${i} through the gateway answered ${response.status}`);
    const back = await get(`${listenerUrl}${path}`, response.cookie);
    if (back.status !== 200) throw new Error(`request ${i} through the gateway answered ${back.status} when it came back`);
    cookies.push(response.cookie ?? '');
  }
  return cookies;
}

function get(url: string, cookie?: string): Promise<{ status: number; cookie: string | undefined }> {
  return new Promise((resolvePromise, reject) => {
    const req = request(url, { agent: false, headers: cookie ? { cookie } : {} }, (res) => {
      res.resume();
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, cookie: res.headers['set-cookie']?.[0]?.split(';')[0] }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function startBackend(name: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    // `/status/404` and the like answer with that status, for the monitoring figures.
    const asked = /^\/status\/([1-5]\d\d)$/.exec(req.url ?? '');
    res.writeHead(asked ? Number(asked[1]) : 200, { 'Content-Type': 'text/plain' });
    res.end(`${name} answered ${req.method} ${req.url}\n`);
  });
  await listenOnLoopback(server);
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A port that was free a moment ago: bind to port 0, note the port, close. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await listenOnLoopback(server);
  const { port } = server.address() as AddressInfo;
  await closeServer(server);
  return port;
}

async function waitUntilAnswering(
  probe: () => Promise<{ status: number }>,
  exitCode: () => number | null,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (exitCode() !== null) throw new Error(`the headless gateway exited with code ${exitCode()}`);
    try {
      const { status } = await probe();
      if (status === 200) return;
      throw new Error(`GET /api/state answered ${status}`);
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`the headless gateway did not answer within ${START_TIMEOUT_MS / 1000} s: ${(error as Error).message}\n${output()}`);
    }
    await new Promise((done) => setTimeout(done, 200));
  }
}
