/**
 * The admin API calls behind the console's safer operations, against a real gateway and real
 * backends: probing a URL before it becomes a server, and telling a staged server (standby) from
 * one whose drain finished (safe to stop).
 */
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startSwitchboardHarness, type SwitchboardHarness } from '../support/gateway-harness.js';
import { startBackends, stopBackends, type TestBackend } from '../support/test-backend.js';
import { freePort } from '../../demo/free-port.js';

let harness: SwitchboardHarness | undefined;
let backends: TestBackend[] = [];

afterEach(async () => {
  await harness?.stop();
  await stopBackends(backends);
  harness = undefined;
  backends = [];
});

async function start(healthCheck: Record<string, unknown> = { type: 'http', path: '/health', intervalSec: 60 }): Promise<SwitchboardHarness> {
  backends = await startBackends('old', 'spare');
  harness = await startSwitchboardHarness([
    { id: 'web', name: 'Web', healthCheck, servers: [{ id: 'old', name: 'Old', url: backends[0]!.url, capacity: 100 }] },
  ]);
  return harness;
}

/**
 * One backend per server id behind the cluster "web" (TCP health checks), each server at its
 * capacity and named after its id ("old" → "Old"); `cluster` adds cluster settings.
 */
async function startWeb(capacities: Record<string, number>, cluster: Record<string, unknown> = {}): Promise<SwitchboardHarness> {
  const ids = Object.keys(capacities);
  backends = await startBackends(...ids);
  const servers = ids.map((id, index) => ({ id, name: id[0]!.toUpperCase() + id.slice(1), url: backends[index]!.url, capacity: capacities[id]! }));
  harness = await startSwitchboardHarness([{ id: 'web', name: 'Web', healthCheck: { type: 'tcp', intervalSec: 60 }, ...cluster, servers }]);
  return harness;
}

describe('probing a server before adding it', () => {
  it('reports a URL that answers, with how long the probe took, and saves nothing', async () => {
    const { api, configPath } = await start();
    const before = readFileSync(configPath, 'utf8');
    const served = backends[1]!.served;
    const reply = await api('POST', '/api/clusters/web/probe', { url: backends[1]!.url });
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ ok: true, error: null, check: 'HTTP GET /health (online below 500)' });
    expect(reply.json.durationMs).toBeGreaterThan(0);
    expect(reply.json.durationMs).toBeLessThan(2000);
    expect(backends[1]!.served).toBe(served + 1);
    expect(readFileSync(configPath, 'utf8')).toBe(before);
    expect((await api('GET', '/api/state')).json.clusters[0].servers).toHaveLength(1);
  });

  it('reports why a mistyped URL fails, without touching any server’s health', async () => {
    const { api } = await start();
    const nobody = `http://127.0.0.1:${await freePort()}`;
    const reply = await api('POST', '/api/clusters/web/probe', { url: nobody });
    expect(reply.status).toBe(200);
    expect(reply.json.ok).toBe(false);
    expect(reply.json.error).toMatch(/ECONNREFUSED/);
    const old = (await api('GET', '/api/state')).json.clusters[0].servers[0];
    expect(old.health.consecutiveFailures).toBe(0);
  });

  it('judges the answer as the cluster’s health check would: 500 fails', async () => {
    const { api } = await start();
    backends[1]!.handlers.set('/health', (_req, res) => {
      res.writeHead(500);
      res.end();
    });
    const reply = await api('POST', '/api/clusters/web/probe', { url: backends[1]!.url });
    expect(reply.json).toMatchObject({ ok: false, error: 'GET /health answered 500' });
  });

  it('refuses an invalid URL with an issue on the field, and an unknown cluster with 404', async () => {
    const { api } = await start();
    const invalid = await api('POST', '/api/clusters/web/probe', { url: 'ftp://10.0.0.5/' });
    expect(invalid.status).toBe(400);
    expect(invalid.json.issues).toEqual([{ path: 'url', message: expect.stringMatching(/http:\/\/ or https:\/\//) }]);
    expect((await api('POST', '/api/clusters/nope/probe', { url: backends[1]!.url })).status).toBe(404);
  });
});

describe('standby versus safe to stop', () => {
  it('reads a server staged at capacity 0 as standby, and one drained from a capacity as safe to stop', async () => {
    harness = await startWeb({ old: 100, new: 0 });
    const servers = async () => (await harness!.api('GET', '/api/state')).json.clusters[0].servers;
    const [, staged] = await servers();
    // The state value stays as documented; the new fields tell the two apart.
    expect(staged).toMatchObject({ state: 'drained', standby: true, safeToStop: false, drainedAt: null });

    await harness.api('POST', '/api/clusters/web/servers/old/drain');
    const [drained] = await servers();
    expect(drained).toMatchObject({ state: 'drained', standby: false, safeToStop: true });
    expect(drained.drainedAt).toBeGreaterThan(Date.now() - 5000);

    await harness.api('POST', '/api/clusters/web/servers/old/restore');
    const [restored] = await servers();
    expect(restored).toMatchObject({ state: 'active', standby: false, safeToStop: false, drainedAt: null });
  });

  it('reads a server whose capacity was set to 0 directly as draining, then safe to stop once its session expired', async () => {
    harness = await startWeb({ a: 100 }, { sessionTimeoutSec: 1 });
    // A session is kept once its user comes back with the cookie.
    const answer = await fetch(harness.url + '/');
    await answer.text();
    await (await fetch(harness.url + '/', { headers: { cookie: sessionCookieOf(answer) } })).text();
    // Capacity 0 set directly, not by Drain: a drain all the same, from 100.
    await harness.api('PATCH', '/api/clusters/web/servers/a', { capacity: 0 });
    const server = async () => (await harness!.api('GET', '/api/state')).json.clusters[0].servers[0];
    expect(await server()).toMatchObject({ state: 'draining', standby: false, safeToStop: false });
    const deadline = Date.now() + 8000;
    while ((await server()).state !== 'drained' && Date.now() < deadline) await new Promise((done) => setTimeout(done, 200));
    expect(await server()).toMatchObject({ state: 'drained', standby: false, safeToStop: true });
  });
});

describe('the admin API says when a change left a cluster without an active server', () => {
  const twoServers = () => startWeb({ a: 50, b: 50 });

  it('makes the change as asked, and warns only when the last active server goes', async () => {
    const { api } = await twoServers();
    const first = await api('POST', '/api/clusters/web/servers/a/drain');
    expect(first.status).toBe(200);
    expect(first.json.warnings).toBeUndefined();

    const last = await api('PATCH', '/api/clusters/web/servers/b', { capacity: 0 });
    expect(last.status).toBe(200);
    expect(last.json).toMatchObject({ id: 'b', capacity: 0 });
    expect(last.json.warnings).toEqual(['cluster "web" (Web) has no active server left: new users get 503 Service Unavailable']);
    const newUser = await fetch(harness!.url + '/');
    await newUser.text();
    expect(newUser.status).toBe(503);

    // Already down: the next change does not repeat it.
    expect((await api('PATCH', '/api/clusters/web/servers/a', { enabled: false })).json.warnings).toBeUndefined();
  });

  it('answers a removal that empties a cluster of active servers with 200 and the warning instead of 204', async () => {
    const { api } = await twoServers();
    expect((await api('DELETE', '/api/clusters/web/servers/a')).status).toBe(204);
    const removed = await api('DELETE', '/api/clusters/web/servers/b');
    expect(removed.status).toBe(200);
    expect(removed.json.warnings).toEqual(['cluster "web" (Web) has no active server left: new users get 503 Service Unavailable']);
  });

  it('warns when a cluster is disabled and when the gateway is paused', async () => {
    const { api } = await twoServers();
    const off = await api('PATCH', '/api/clusters/web', { enabled: false });
    expect(off.json.warnings).toEqual(['cluster "web" (Web) is disabled: every request routed to it gets 503 Service Unavailable']);
    const paused = await api('POST', '/api/pause', { paused: true });
    expect(paused.json).toEqual({
      paused: true,
      warnings: ['the gateway is paused: its listeners are closed and every request is refused until it is resumed'],
    });
    expect((await api('POST', '/api/pause', { paused: false })).json).toEqual({ paused: false });
  });
});

describe('ending a session', () => {
  it('ends one session by its shown id, so a draining server finishes early, and refuses an unknown one', async () => {
    harness = await startWeb({ a: 100, b: 0 });
    const { api } = harness;
    const first = await fetch(harness.url + '/');
    const cookie = sessionCookieOf(first);
    await first.text();
    // A session is kept once its user comes back with the cookie.
    await (await fetch(harness.url + '/', { headers: { cookie } })).text();
    await api('POST', '/api/clusters/web/servers/b/restore');
    await api('POST', '/api/clusters/web/servers/a/drain');
    const listed = (await api('GET', '/api/clusters/web/servers/a/sessions')).json;
    expect(listed.total).toBe(1);
    expect((await api('GET', '/api/state')).json.clusters[0].servers[0].state).toBe('draining');

    expect((await api('DELETE', '/api/clusters/web/servers/a/sessions/nope1234')).status).toBe(404);
    const ended = await api('DELETE', `/api/clusters/web/servers/a/sessions/${listed.sessions[0].id}`);
    expect(ended.status).toBe(204);
    const a = (await api('GET', '/api/state')).json.clusters[0].servers[0];
    expect(a).toMatchObject({ sessions: 0, state: 'drained', safeToStop: true });
    // The user's next request starts over on the active server.
    const again = await fetch(harness.url + '/', { headers: { cookie } });
    expect(JSON.parse(await again.text()).backend).toBe('b');
  });
});

describe('config export and import', () => {
  it('imports a whole configuration, keeping the running admin settings', async () => {
    const { api } = await start();
    const exported = (await api('GET', '/api/config')).json;
    const edited = structuredClone(exported);
    edited.clusters[0].servers[0].capacity = 40;
    edited.clusters.push({ id: 'wiki', name: 'Wiki', servers: [{ id: 'w1', name: 'Wiki 1', url: backends[1]!.url }] });
    edited.routes.push({ host: 'wiki.test', path: '/', cluster: 'wiki' });
    edited.admin = { ...edited.admin, token: 'someone-elses-token-0123456789', port: 1 };
    const imported = await api('PUT', '/api/config', edited);
    expect(imported.status).toBe(200);
    expect(imported.json.admin).toEqual(exported.admin);
    const now = (await api('GET', '/api/config')).json;
    expect(now.clusters.map((c: { id: string }) => c.id)).toEqual(['web', 'wiki']);
    expect(now.clusters[0].servers[0].capacity).toBe(40);
    const wiki = await new Promise<string>((resolve, reject) => {
      get(harness!.url + '/', { headers: { host: 'wiki.test' } }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve(body));
      }).on('error', reject);
    });
    expect(JSON.parse(wiki).backend).toBe('spare');
  });

  it('refuses an invalid configuration with every issue named, and changes nothing', async () => {
    const { api, configPath } = await start();
    const before = readFileSync(configPath, 'utf8');
    const exported = (await api('GET', '/api/config')).json;
    const broken = structuredClone(exported);
    broken.clusters[0].servers[0].url = 'ftp://nowhere';
    broken.clusters[0].servers[0].capacity = 500;
    broken.routes.push({ host: '*', path: '/x', cluster: 'missing' });
    const refused = await api('PUT', '/api/config', broken);
    expect(refused.status).toBe(400);
    const paths = refused.json.issues.map((issue: { path: string }) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['clusters[0].servers[0].url', 'clusters[0].servers[0].capacity']));
    expect(refused.json.issues.length).toBeGreaterThanOrEqual(3);
    expect(readFileSync(configPath, 'utf8')).toBe(before);
    expect((await api('GET', '/api/config')).json).toEqual(exported);
    expect((await api('PUT', '/api/config', [1, 2])).status).toBe(400);
  });
});

/** The gateway's session cookie among the Set-Cookie headers of an answer, as `name=value`. */
function sessionCookieOf(response: Response): string {
  return response.headers.getSetCookie().find((value) => value.startsWith('sb-'))!.split(';')[0]!;
}
