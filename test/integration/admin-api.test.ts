/**
 * The admin HTTP API and web console, end to end: a real gateway started through
 * startSwitchboard with a temporary config file, real backends, real sockets.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../demo/free-port.js';
import { startAdminServer } from '../../proxy/admin/admin-server.js';
import { FileConfigStore } from '../../proxy/config/config-store.js';
import type { ControlApi, GatewayConfig, GatewayEvent, GatewaySnapshot } from '../../proxy/control/control-api.js';
import { silentLogger } from '../../proxy/logs/gateway-logger.js';
import { DASHBOARD_CSP } from '../../proxy/admin/static-files.js';
import { FileStateStore } from '../../proxy/config/state-store.js';
import { startSwitchboard, type RunningSwitchboard } from '../../proxy/switchboard.js';
import { openEvents, rawRequest } from './admin-http-client.js';
import { closeServer, listenOnLoopback } from '../support/loopback-server.js';

const TOKEN = 'admin-test-token-0123456789';
const SECRET_OUTSIDE_DASHBOARD = 'this file must never be served';

let workDir: string;
let configPath: string;
let dashboardDir: string;
let backends: Server[] = [];
let backendUrls: string[] = [];
let gatewayPort: number;
let switchboard: RunningSwitchboard;
let adminPort: number;

interface ApiResponse {
  status: number;
  headers: Headers;
  json: any;
}

async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
  const response = await fetch(`http://127.0.0.1:${adminPort}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${TOKEN}`,
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : undefined };
}

async function config(): Promise<GatewayConfig> {
  return (await api('GET', '/api/config')).json as GatewayConfig;
}

async function state(): Promise<GatewaySnapshot> {
  return (await api('GET', '/api/state')).json as GatewaySnapshot;
}

/** A request through the gateway; returns the status and the session cookie it set, if any. */
async function throughGateway(host: string, cookie?: string): Promise<{ status: number; body: string; cookie?: string }> {
  const response = await rawRequest(gatewayPort, { path: '/', headers: { Host: host, ...(cookie ? { Cookie: cookie } : {}) } });
  const setCookie = response.headers['set-cookie']?.[0]?.split(';')[0];
  return { status: response.status, body: response.body, ...(setCookie ? { cookie: setCookie } : {}) };
}

async function startBackend(name: string): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end(`served by ${name}`);
  });
  await listenOnLoopback(server);
  return server;
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'switchboard-admin-test-'));
  dashboardDir = join(workDir, 'dashboard');
  mkdirSync(join(dashboardDir, 'assets'), { recursive: true });
  writeFileSync(join(dashboardDir, 'index.html'), '<!doctype html><title>Switchboard console</title><div id="root"></div>');
  writeFileSync(join(dashboardDir, 'assets', 'app-1234.js'), 'console.log("dashboard");');
  writeFileSync(join(workDir, 'secret.txt'), SECRET_OUTSIDE_DASHBOARD);

  backends = await Promise.all(['one', 'two', 'three'].map(startBackend));
  backendUrls = backends.map((server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  gatewayPort = await freePort();
  adminPort = await freePort();

  configPath = join(workDir, 'switchboard.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      listeners: [{ port: gatewayPort, host: '127.0.0.1' }],
      admin: { host: '127.0.0.1', port: adminPort, token: TOKEN },
      routes: [
        { host: '*', path: '/', cluster: 'web' },
        { host: 'short.test', path: '/', cluster: 'short' },
      ],
      clusters: [
        {
          id: 'web',
          name: 'Intranet',
          healthCheck: { type: 'tcp', intervalSec: 60 },
          servers: [
            { id: 'v1', name: 'App 1.0', url: backendUrls[0], capacity: 100 },
            { id: 'v2', name: 'App 1.1', url: backendUrls[1], capacity: 0 },
          ],
        },
        {
          id: 'short',
          name: 'Short sessions',
          sessionTimeoutSec: 1,
          healthCheck: { type: 'tcp', intervalSec: 60 },
          servers: [{ id: 's1', name: 'Short 1', url: backendUrls[2], capacity: 100 }],
        },
      ],
    }),
  );

  switchboard = await startSwitchboard({
    configStore: new FileConfigStore(configPath),
    stateStore: new FileStateStore(workDir, 'switchboard'),
    dashboardDir,
    logger: silentLogger,
  });
});

afterAll(async () => {
  await switchboard?.stop({ graceMs: 1000 });
  await Promise.all(backends.map(closeServer));
  rmSync(workDir, { recursive: true, force: true });
});

describe('startSwitchboard', () => {
  it('returns a console URL carrying the token and an admin server on the configured port', () => {
    expect(switchboard.consoleUrl).toBe(`http://127.0.0.1:${adminPort}/#token=${TOKEN}`);
    expect(switchboard.admin.port).toBe(adminPort);
    expect(switchboard.admin.url).toBe(`http://127.0.0.1:${adminPort}`);
  });
});

describe('admin token', () => {
  it('refuses a request without a token with 401 and a Bearer challenge', async () => {
    const response = await fetch(`http://127.0.0.1:${adminPort}/api/state`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(((await response.json()) as { error: string }).error).toMatch(/token/);
  });

  it('refuses a wrong token, a token of another length and another scheme', async () => {
    for (const authorization of [`Bearer ${TOKEN.slice(0, -1)}x`, 'Bearer short', `Basic ${TOKEN}`, TOKEN]) {
      const response = await fetch(`http://127.0.0.1:${adminPort}/api/state`, { headers: { Authorization: authorization } });
      expect(response.status, authorization).toBe(401);
    }
  });

  it('accepts the right token', async () => {
    const response = await api('GET', '/api/state');
    expect(response.status).toBe(200);
    expect(response.json.clusters.map((c: { id: string }) => c.id)).toEqual(['web', 'short']);
  });

  it('hides unknown API routes behind the token too', async () => {
    const response = await fetch(`http://127.0.0.1:${adminPort}/api/nothing-here`);
    expect(response.status).toBe(401);
  });

  it('takes ?token= only on /api/events', async () => {
    const state = await fetch(`http://127.0.0.1:${adminPort}/api/state?token=${TOKEN}`);
    expect(state.status).toBe(401);

    const wrong = await openEvents(adminPort, '/api/events?token=wrong-token-0123456789');
    expect(wrong.status).toBe(401);
    wrong.close();

    const events = await openEvents(adminPort, `/api/events?token=${TOKEN}`);
    expect(events.status).toBe(200);
    expect(events.headers['content-type']).toMatch(/^text\/event-stream/);
    events.close();
  });
});

describe('reading', () => {
  it('GET /api/state gives the snapshot with every documented server field', async () => {
    const snapshot = await state();
    const v1 = snapshot.clusters[0]!.servers.find((s) => s.id === 'v1')!;
    for (const field of ['id', 'name', 'url', 'capacity', 'enabled', 'state', 'online', 'sessions', 'inflight', 'websockets', 'requests', 'errors']) {
      expect(v1).toHaveProperty(field);
    }
    expect(v1.url).toBe(backendUrls[0]);
    expect(snapshot.listeners[0]).toMatchObject({ port: gatewayPort, listening: true });
  });

  it('GET /api/config gives the validated configuration', async () => {
    const response = await api('GET', '/api/config');
    expect(response.status).toBe(200);
    expect(response.json.admin.port).toBe(adminPort);
    expect(response.json.clusters[0].servers[1]).toMatchObject({ id: 'v2', capacity: 0 });
  });
});

describe('clusters', () => {
  it('POST /api/clusters adds a cluster and answers 201 with it', async () => {
    const response = await api('POST', '/api/clusters', { name: 'Wiki', servers: [{ name: 'Wiki 1', url: backendUrls[2] }] });
    expect(response.status).toBe(201);
    expect(response.json).toMatchObject({ id: 'wiki', name: 'Wiki' });
    expect((await config()).clusters.map((c) => c.id)).toContain('wiki');
  });

  it('POST /api/clusters with an invalid field answers 400 naming it and changes nothing', async () => {
    const before = await config();
    const fileBefore = readFileSync(configPath);
    const response = await api('POST', '/api/clusters', { name: 'Bad', sessionTimeoutSec: -5 });
    expect(response.status).toBe(400);
    expect(response.json.error).toEqual(expect.any(String));
    expect(response.json.issues.some((issue: { path: string }) => issue.path.endsWith('sessionTimeoutSec'))).toBe(true);
    expect(await config()).toEqual(before);
    expect(readFileSync(configPath).equals(fileBefore)).toBe(true);
  });

  it('POST /api/clusters with a body that is not an object answers 400', async () => {
    const response = await api('POST', '/api/clusters', [1, 2]);
    expect(response.status).toBe(400);
    expect(response.json.error).toMatch(/JSON object/);
  });

  it('PATCH /api/clusters/:cid changes a cluster; an unknown id is 404', async () => {
    const response = await api('PATCH', '/api/clusters/wiki', { name: 'Team wiki' });
    expect(response.status).toBe(200);
    expect(response.json.name).toBe('Team wiki');

    const missing = await api('PATCH', '/api/clusters/no-such-cluster', { name: 'x' });
    expect(missing.status).toBe(404);
    expect(missing.json.error).toMatch(/no-such-cluster/);
  });

  it('PATCH /api/clusters/:cid with an invalid value answers 400 and changes nothing', async () => {
    const before = await config();
    const response = await api('PATCH', '/api/clusters/wiki', { balancing: 'random' });
    expect(response.status).toBe(400);
    expect(response.json.issues.some((issue: { path: string }) => issue.path.endsWith('balancing'))).toBe(true);
    expect(await config()).toEqual(before);
  });

  it('DELETE /api/clusters/:cid removes it with 204; an unknown id is 404', async () => {
    const response = await api('DELETE', '/api/clusters/wiki');
    expect(response.status).toBe(204);
    expect((await config()).clusters.map((c) => c.id)).not.toContain('wiki');
    expect((await api('DELETE', '/api/clusters/wiki')).status).toBe(404);
  });
});

describe('servers', () => {
  it('POST /api/clusters/:cid/servers adds a server with 201', async () => {
    const response = await api('POST', '/api/clusters/web/servers', { id: 'v3', name: 'App 1.2', url: backendUrls[2], capacity: 10 });
    expect(response.status).toBe(201);
    expect(response.json).toMatchObject({ id: 'v3', capacity: 10, enabled: true });
    const v3 = (await state()).clusters[0]!.servers.find((s) => s.id === 'v3');
    expect(v3?.state).toBe('active');
  });

  it('POST a server with a bad URL answers 400 naming url; an unknown cluster is 404', async () => {
    const before = await config();
    const response = await api('POST', '/api/clusters/web/servers', { name: 'Broken', url: 'ftp://example' });
    expect(response.status).toBe(400);
    expect(response.json.issues.some((issue: { path: string }) => issue.path.endsWith('url'))).toBe(true);
    expect(await config()).toEqual(before);

    const missing = await api('POST', '/api/clusters/nope/servers', { name: 'X', url: backendUrls[2] });
    expect(missing.status).toBe(404);
  });

  it('PATCH a server changes capacity, enabled, name and url', async () => {
    const response = await api('PATCH', '/api/clusters/web/servers/v3', { capacity: 20, enabled: false, name: 'App 1.2 beta', url: backendUrls[1] });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ capacity: 20, enabled: false, name: 'App 1.2 beta', url: backendUrls[1] });
    expect((await state()).clusters[0]!.servers.find((s) => s.id === 'v3')?.state).toBe('disabled');
  });

  it('PATCH a server with capacity 150 answers 400 naming capacity and changes nothing', async () => {
    const before = await config();
    const fileBefore = readFileSync(configPath);
    const response = await api('PATCH', '/api/clusters/web/servers/v3', { capacity: 150 });
    expect(response.status).toBe(400);
    expect(response.json.issues.some((issue: { path: string }) => issue.path.endsWith('capacity'))).toBe(true);
    expect(await config()).toEqual(before);
    expect(readFileSync(configPath).equals(fileBefore)).toBe(true);
  });

  it('PATCH a server with a field other than capacity, enabled, name, url answers 400 naming it', async () => {
    const before = await config();
    const response = await api('PATCH', '/api/clusters/web/servers/v3', { capacity: 30, id: 'renamed' });
    expect(response.status).toBe(400);
    expect(response.json.issues).toEqual([{ path: 'id', message: expect.stringContaining('capacity, enabled, name, url') }]);
    expect(await config()).toEqual(before);
  });

  it('PATCH or DELETE an unknown server is 404', async () => {
    expect((await api('PATCH', '/api/clusters/web/servers/nope', { capacity: 1 })).status).toBe(404);
    expect((await api('DELETE', '/api/clusters/web/servers/nope')).status).toBe(404);
    expect((await api('PATCH', '/api/clusters/nope/servers/v1', { capacity: 1 })).status).toBe(404);
  });

  it('DELETE a server removes it with 204', async () => {
    expect((await api('DELETE', '/api/clusters/web/servers/v3')).status).toBe(204);
    expect((await config()).clusters[0]!.servers.map((s) => s.id)).toEqual(['v1', 'v2']);
  });
});

describe('drain, restore and sessions', () => {
  it('lists the live sessions of a server, honouring ?limit=', async () => {
    const first = await throughGateway('app.test');
    const second = await throughGateway('app.test');
    expect(first.body).toBe('served by one');
    expect(second.body).toBe('served by one');
    expect(first.cookie).toBeDefined();
    // Sessions are stored once their clients come back with the cookie.
    await throughGateway('app.test', first.cookie);
    await throughGateway('app.test', second.cookie);

    const all = await api('GET', '/api/clusters/web/servers/v1/sessions');
    expect(all.status).toBe(200);
    expect(all.json.total).toBe(2);
    expect(all.json.sessions).toHaveLength(2);

    const limited = await api('GET', '/api/clusters/web/servers/v1/sessions?limit=1');
    expect(limited.json.total).toBe(2);
    expect(limited.json.sessions).toHaveLength(1);
  });

  it('refuses a bad ?limit= with 400 and an unknown server with 404', async () => {
    const bad = await api('GET', '/api/clusters/web/servers/v1/sessions?limit=lots');
    expect(bad.status).toBe(400);
    expect(bad.json.issues[0].path).toBe('limit');
    expect((await api('GET', '/api/clusters/web/servers/nope/sessions')).status).toBe(404);
  });

  it('drain sets capacity 0 keeping sessions; restore puts the old capacity back', async () => {
    const { cookie } = await throughGateway('app.test');
    const drained = await api('POST', '/api/clusters/web/servers/v1/drain');
    expect(drained.status).toBe(200);
    expect(drained.json.capacity).toBe(0);
    expect((await state()).clusters[0]!.servers.find((s) => s.id === 'v1')?.state).toBe('draining');
    // The existing session stays where it was although its server now has capacity 0.
    expect((await throughGateway('app.test', cookie)).body).toBe('served by one');

    const restored = await api('POST', '/api/clusters/web/servers/v1/restore');
    expect(restored.status).toBe(200);
    expect(restored.json.capacity).toBe(100);
  });

  it('drain and restore of an unknown server are 404', async () => {
    expect((await api('POST', '/api/clusters/web/servers/nope/drain')).status).toBe(404);
    expect((await api('POST', '/api/clusters/nope/servers/v1/restore')).status).toBe(404);
  });
});

describe('routes and pause', () => {
  it('PUT /api/routes replaces the routes', async () => {
    const routes = [
      { host: '*', path: '/', cluster: 'web' },
      { host: 'short.test', path: '/', cluster: 'short' },
      { host: '*', path: '/wiki', cluster: 'web' },
    ];
    const response = await api('PUT', '/api/routes', routes);
    expect(response.status).toBe(200);
    expect(response.json).toHaveLength(3);
    expect((await config()).routes.map((r) => r.path)).toEqual(['/', '/', '/wiki']);
  });

  it('PUT /api/routes naming an unknown cluster answers 400 naming the field and changes nothing', async () => {
    const before = await config();
    const response = await api('PUT', '/api/routes', [{ host: '*', path: '/', cluster: 'ghost' }]);
    expect(response.status).toBe(400);
    expect(response.json.issues.some((issue: { path: string }) => /routes\[0\]\.cluster$/.test(issue.path))).toBe(true);
    expect(await config()).toEqual(before);
  });

  it('PUT /api/routes with something other than a list answers 400', async () => {
    const response = await api('PUT', '/api/routes', { cluster: 'web' });
    expect(response.status).toBe(400);
    expect(response.json.issues[0].path).toBe('routes');
  });

  it('PUT /api/routes carries a backendPath mapping, and PATCH switches a cluster\'s response rewriting', async () => {
    const before = (await config()).routes;
    const routes = [
      { host: '*', path: '/', cluster: 'web' },
      { host: '*', path: '/wiki/', backendPath: '/', cluster: 'web' },
    ];
    const response = await api('PUT', '/api/routes', routes);
    expect(response.status).toBe(200);
    expect((await config()).routes[1]).toEqual({ host: '*', path: '/wiki/', backendPath: '/', cluster: 'web' });
    const wiki = await rawRequest(gatewayPort, { path: '/wiki?x=1', headers: { Host: 'app.test' } });
    expect([wiki.status, wiki.headers.location]).toEqual([301, '/wiki/?x=1']);
    expect((await config()).clusters[0]!.rewriteResponseUrls).toBe(true);
    expect((await api('PATCH', '/api/clusters/web', { rewriteResponseUrls: false })).json.rewriteResponseUrls).toBe(false);
    expect((await api('PATCH', '/api/clusters/web', { rewriteResponseUrls: 'no' })).json.issues).toEqual([
      { path: 'rewriteResponseUrls', message: 'must be true or false' },
    ]);
    expect((await api('PATCH', '/api/clusters/web', { rewriteResponseUrls: true })).status).toBe(200);
    expect((await api('PUT', '/api/routes', before)).status).toBe(200);
  });

  it('PUT /api/routes refuses a bad backendPath, or a mapped route path without a trailing slash, naming the field', async () => {
    const before = await config();
    const put = async (route: Record<string, string>) => (await api('PUT', '/api/routes', [{ host: '*', cluster: 'web', ...route }])).json.issues;
    expect(await put({ path: '/wiki/', backendPath: 'app/' })).toContainEqual({ path: 'routes[0].backendPath', message: 'must start with "/"' });
    expect(await put({ path: '/wiki/', backendPath: '/app' })).toEqual([
      { path: 'routes[0].backendPath', message: expect.stringMatching(/^must end with "\/"/) },
    ]);
    expect(await put({ path: '/wiki/', backendPath: '/a/../b/' })).toEqual([
      { path: 'routes[0].backendPath', message: 'must not contain "." or ".." segments' },
    ]);
    expect(await put({ path: '/wiki/', backendPath: '/a b/' })).toEqual([
      { path: 'routes[0].backendPath', message: expect.stringMatching(/^must be a path such as "\/" or "\/app\/"/) },
    ]);
    expect(await put({ path: '/wiki', backendPath: '/' })).toEqual([
      { path: 'routes[0].path', message: expect.stringMatching(/^must end with "\/" when backendPath is set/) },
    ]);
    expect(await config()).toEqual(before);
  });

  it('POST /api/pause pauses and resumes the gateway', async () => {
    expect((await api('POST', '/api/pause', { paused: true })).status).toBe(200);
    expect((await state()).paused).toBe(true);
    expect((await api('POST', '/api/pause', { paused: false })).status).toBe(200);
    expect((await state()).paused).toBe(false);
    expect((await throughGateway('app.test')).status).toBe(200);
  });

  it('POST /api/pause without a boolean answers 400 naming paused', async () => {
    const response = await api('POST', '/api/pause', { paused: 'yes' });
    expect(response.status).toBe(400);
    expect(response.json.issues[0].path).toBe('paused');
    expect((await state()).paused).toBe(false);
  });
});

describe('bad requests', () => {
  it('answers malformed JSON with 400 and a clear message', async () => {
    const response = await api('POST', '/api/clusters', '{"name": "Half');
    expect(response.status).toBe(400);
    expect(response.json.error).toMatch(/not valid JSON/);
  });

  it('answers a missing body with 400', async () => {
    const response = await api('POST', '/api/clusters');
    expect(response.status).toBe(400);
  });

  it('answers a body over 1 MB with 413 and changes nothing', async () => {
    const before = await config();
    const body = JSON.stringify({ name: 'Huge', padding: 'x'.repeat(1_100_000) });
    const response = await rawRequest(adminPort, {
      method: 'POST',
      path: '/api/clusters',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      body,
    }).catch((error: Error) => ({ status: -1, headers: {}, body: error.message }));
    expect(response.status).toBe(413);
    expect(await config()).toEqual(before);
  });

  it('answers an unknown API route with 404 and a wrong method with 405 and Allow', async () => {
    const unknown = await api('GET', '/api/clusters/web/servers/v1/everything');
    expect(unknown.status).toBe(404);
    const wrongMethod = await api('PUT', '/api/state', {});
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
    const wrongOnEvents = await api('POST', '/api/events', {});
    expect(wrongOnEvents.status).toBe(405);
  });

  it('survives garbage on the admin port and keeps answering', async () => {
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(adminPort, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', () => resolve(text));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect((await api('GET', '/api/state')).status).toBe(200);
  });
});

describe('event stream', () => {
  it('delivers a config event after a change, with the source of the request', async () => {
    const events = await openEvents(adminPort, '/api/events', { Authorization: `Bearer ${TOKEN}` });
    try {
      await api('PATCH', '/api/clusters/web/servers/v2', { capacity: 5 }, { 'X-Switchboard-Source': 'dashboard' });
      const event = await events.waitFor((e) => e.event === 'config');
      const data = JSON.parse(event.data) as Extract<GatewayEvent, { type: 'config' }>;
      expect(data.type).toBe('config');
      expect(data.source).toBe('dashboard');

      await api('PATCH', '/api/clusters/web/servers/v2', { capacity: 0 });
      const second = await events.waitFor((e) => e.event === 'config' && JSON.parse(e.data).source === 'api');
      expect(JSON.parse(second.data).type).toBe('config');
    } finally {
      events.close();
    }
  });

  it('delivers drained once the last session of a drained server expires', async () => {
    const events = await openEvents(adminPort, `/api/events?token=${TOKEN}`);
    try {
      const { body, cookie } = await throughGateway('short.test');
      expect(body).toBe('served by three');
      await throughGateway('short.test', cookie);
      await api('POST', '/api/clusters/short/servers/s1/drain');
      const draining = (await state()).clusters.find((c) => c.id === 'short')!.servers[0]!;
      expect(draining.state).toBe('draining');
      expect(draining.sessions).toBe(1);

      const drained = await events.waitFor((e) => e.event === 'drained', 15_000);
      expect(JSON.parse(drained.data)).toMatchObject({ type: 'drained', clusterId: 'short', serverId: 's1', serverName: 'Short 1' });
      expect((await state()).clusters.find((c) => c.id === 'short')!.servers[0]!.state).toBe('drained');
    } finally {
      events.close();
    }
  });
});

describe('event stream lifecycle', () => {
  let admin: Awaited<ReturnType<typeof startAdminServer>>;
  let subscribers = 0;

  beforeAll(async () => {
    const real = switchboard.control;
    // The real control API, counting its subscribers so that unsubscribing can be observed.
    const counting: ControlApi = Object.create(real, {
      subscribe: {
        value: (listener: (event: GatewayEvent) => void) => {
          subscribers++;
          const unsubscribe = real.subscribe(listener);
          return () => {
            subscribers--;
            unsubscribe();
          };
        },
      },
    });
    admin = await startAdminServer({ control: counting, host: '127.0.0.1', port: 0, token: TOKEN, heartbeatMs: 50, maxBodyBytes: 1000 });
  });

  afterAll(async () => {
    await admin.close();
  });

  it('sends heartbeat comments and unsubscribes when the client goes away', async () => {
    const events = await openEvents(admin.port, '/api/events', { Authorization: `Bearer ${TOKEN}` });
    await events.waitForComment('heartbeat', 5000);
    expect(subscribers).toBe(1);
    events.close();
    await expect.poll(() => subscribers, { timeout: 5000 }).toBe(0);
  });

  it('refuses a streamed body over the limit with 413', async () => {
    const response = await rawRequest(admin.port, {
      method: 'POST',
      path: '/api/clusters',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Transfer-Encoding': 'chunked' },
      body: JSON.stringify({ name: 'x'.repeat(5000) }),
    }).catch((error: Error) => ({ status: -1, headers: {}, body: error.message }));
    expect(response.status).toBe(413);
  });

  it('ends open event streams when the admin server closes', async () => {
    const other = await startAdminServer({ control: switchboard.control, host: '127.0.0.1', port: 0, token: TOKEN });
    const events = await openEvents(other.port, '/api/events', { Authorization: `Bearer ${TOKEN}` });
    expect(events.status).toBe(200);
    await other.close();
    const refused = await fetch(`http://127.0.0.1:${other.port}/api/state`).then(
      () => 'answered',
      () => 'refused',
    );
    expect(refused).toBe('refused');
  });
});

describe('web console', () => {
  it('serves index.html at / with the strict CSP and no-cache', async () => {
    const response = await rawRequest(adminPort, { path: '/' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toBe(DASHBOARD_CSP);
    expect(DASHBOARD_CSP).toBe(
      "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'",
    );
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.body).toContain('Switchboard console');
  });

  it('serves assets with their content type and falls back to index.html for app paths', async () => {
    const script = await rawRequest(adminPort, { path: '/assets/app-1234.js' });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.body).toBe('console.log("dashboard");');

    const appPath = await rawRequest(adminPort, { path: '/clusters/web?tab=sessions' });
    expect(appPath.status).toBe(200);
    expect(appPath.body).toContain('Switchboard console');
  });

  it('refuses paths that leave the dashboard folder', async () => {
    for (const path of ['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt']) {
      const response = await rawRequest(adminPort, { path });
      expect(response.body, path).not.toContain(SECRET_OUTSIDE_DASHBOARD);
      expect(response.status, path).toBe(403);
    }
  });

  it('answers other methods than GET and HEAD outside /api with 405', async () => {
    const response = await rawRequest(adminPort, { method: 'POST', path: '/' });
    expect(response.status).toBe(405);
  });

  it('explains how to build the dashboard when it is not built', async () => {
    const admin = await startAdminServer({ control: switchboard.control, host: '127.0.0.1', port: 0, token: TOKEN, dashboardDir: join(workDir, 'not-built') });
    try {
      const response = await rawRequest(admin.port, { path: '/' });
      expect(response.body).toContain('npm run build:renderer');
      expect(response.headers['content-type']).toMatch(/^text\/plain/);
    } finally {
      await admin.close();
    }
  });
});
