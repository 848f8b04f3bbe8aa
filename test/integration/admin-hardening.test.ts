/**
 * The admin server against a hostile web page and a token guesser: Host checking against DNS
 * rebinding, failed sign-ins logged with the address and slowed down, absurd JSON refused with
 * 400. A real gateway through startSwitchboard, raw requests over real sockets.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../demo/free-port.js';
import { startAdminServer, type AdminServer } from '../../proxy/admin/admin-server.js';
import { FileConfigStore } from '../../proxy/config/config-store.js';
import type { ControlApi } from '../../proxy/control/control-api.js';
import { silentLogger } from '../../proxy/logs/gateway-logger.js';
import { FileStateStore } from '../../proxy/config/state-store.js';
import { startSwitchboard, type RunningSwitchboard } from '../../proxy/switchboard.js';
import { TEST_TOKEN } from '../support/gateway-harness.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let directory: string;
let switchboard: RunningSwitchboard;
let adminPort: number;

/** One request from `localAddress` (any 127.x address works on loopback), headers sent exactly as given. */
function send(options: { method?: string; path?: string; headers?: Record<string, string>; body?: string; localAddress?: string; port?: number }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: options.port ?? adminPort,
        method: options.method ?? 'GET',
        path: options.path ?? '/api/state',
        headers: options.headers ?? {},
        agent: false,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const withToken = (token: string, extra: Record<string, string> = {}): Record<string, string> => ({ Authorization: `Bearer ${token}`, ...extra });

async function eventLogText(): Promise<string> {
  await switchboard.gateway.eventLog.flush();
  const logs = join(directory, 'logs');
  return readdirSync(logs)
    .filter((name) => name.startsWith('switchboard-events_'))
    .map((name) => readFileSync(join(logs, name), 'utf8'))
    .join('');
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'switchboard-admin-hardening-'));
  adminPort = await freePort();
  const configPath = join(directory, 'switchboard.json');
  writeFileSync(configPath, JSON.stringify({ listeners: [], admin: { host: '127.0.0.1', port: adminPort, token: TEST_TOKEN } }));
  switchboard = await startSwitchboard({
    configStore: new FileConfigStore(configPath),
    stateStore: new FileStateStore(directory, 'switchboard'),
    logger: silentLogger,
  });
});

afterAll(async () => {
  await switchboard.stop({ graceMs: 0 });
  rmSync(directory, { recursive: true, force: true });
});

describe('admin server Host check (DNS rebinding)', () => {
  it('refuses a foreign Host with 421 and a clear text, even with the right token', async () => {
    for (const host of ['evil.example', `evil.example:${adminPort}`, `127.0.0.1.evil.example:${adminPort}`, `localhost.:${adminPort}x`]) {
      const reply = await send({ headers: withToken(TEST_TOKEN, { Host: host }) });
      expect([host, reply.status]).toEqual([host, 421]);
      expect(reply.body).not.toContain('"clusters"');
    }
    const page = await send({ path: '/', headers: { Host: 'evil.example' } });
    expect(page.status).toBe(421);
    expect(page.headers['content-type']).toMatch(/^text\/plain/);
    expect(page.body).toContain('does not answer to the host name "evil.example"');
    expect(page.body).toContain(`http://127.0.0.1:${adminPort}/`);
    expect(page.body).toContain('admin.allowedHosts');
  });

  it('answers to the loopback names, with or without a port', async () => {
    for (const host of ['127.0.0.1', `127.0.0.1:${adminPort}`, `localhost:${adminPort}`, 'LOCALHOST', `[::1]:${adminPort}`, '[::1]']) {
      const reply = await send({ headers: withToken(TEST_TOKEN, { Host: host }) });
      expect([host, reply.status]).toEqual([host, 200]);
    }
  });

  it('answers to the names listed in admin.allowedHosts and to nothing else', async () => {
    const control = switchboard.control as ControlApi;
    let admin: AdminServer | undefined;
    try {
      admin = await startAdminServer({ control, host: '127.0.0.1', port: 0, token: TEST_TOKEN, allowedHosts: ['switchboard.corp.local'] });
      const named = await send({ port: admin.port, headers: withToken(TEST_TOKEN, { Host: `switchboard.corp.local:${admin.port}` }) });
      expect(named.status).toBe(200);
      const other = await send({ port: admin.port, headers: withToken(TEST_TOKEN, { Host: 'other.corp.local' }) });
      expect(other.status).toBe(421);
    } finally {
      await admin?.close();
    }
  });
});

describe('failed sign-ins', () => {
  it('are logged with the address and answered 429 with Retry-After after 10 in a minute, per address', async () => {
    const attacker = '127.0.0.2';
    const admin = '127.0.0.1';
    for (let i = 0; i < 9; i++) {
      const reply = await send({ localAddress: attacker, headers: withToken(`wrong-token-${i}-0123456789abcdef`) });
      expect(reply.status).toBe(401);
    }
    // A success elsewhere does not reset the attacker's count.
    expect((await send({ localAddress: admin, headers: withToken(TEST_TOKEN) })).status).toBe(200);
    expect((await send({ localAddress: attacker })).status).toBe(401);

    const refused = await send({ localAddress: attacker, headers: withToken(TEST_TOKEN) });
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(59);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(JSON.parse(refused.body).error).toMatch(/^too many failed sign-ins from 127\.0\.0\.2; try again in \d+ s$/);
    // The event stream's query token is refused too.
    expect((await send({ localAddress: attacker, path: `/api/events?token=${TEST_TOKEN}` })).status).toBe(429);
    // Another address is not affected.
    expect((await send({ localAddress: admin, headers: withToken(TEST_TOKEN) })).status).toBe(200);

    const log = await eventLogText();
    expect(log).toMatch(/WARN {2}Admin sign-in failed from 127\.0\.0\.2: wrong token address=127\.0\.0\.2 path=\/api\/state/);
    expect(log).toMatch(/WARN {2}Admin sign-in failed from 127\.0\.0\.2: no token address=127\.0\.0\.2/);
    expect(log).toContain('Admin sign-ins from 127.0.0.2 refused for 60 s after 10 failures');
    expect(log.match(/Admin sign-in failed from 127\.0\.0\.2/g)).toHaveLength(10);
    expect(log).not.toContain('from 127.0.0.1');
  });
});

describe('request bodies', () => {
  it('answers JSON nested 100000 levels deep with 400, and keeps serving', async () => {
    for (const [method, path, body] of [
      ['PATCH', '/api/settings', `{"logs": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`],
      ['POST', '/api/clusters', `{"name": "Deep", "servers": [${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}]}`],
      ['PUT', '/api/routes', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
      // Before the depth check this one was a 500: the cluster's name was turned into text recursively.
      ['POST', '/api/clusters', `{"name": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`],
    ] as const) {
      const reply = await send({ method, path, body, localAddress: '127.0.0.3', headers: withToken(TEST_TOKEN, { 'Content-Type': 'application/json' }) });
      expect([path, reply.status]).toEqual([path, 400]);
      expect(JSON.parse(reply.body).error).toBe('request body nests deeper than 64 levels');
    }
    const state = await send({ localAddress: '127.0.0.3', headers: withToken(TEST_TOKEN) });
    expect(state.status).toBe(200);
    expect((await switchboard.control.getConfig()).clusters).toEqual([]);
  });

  it('answers an over-large body with 413 and a message', async () => {
    const reply = await send({
      method: 'PATCH',
      path: '/api/settings',
      body: `{"x": "${'a'.repeat(1024 * 1024)}"}`,
      localAddress: '127.0.0.3',
      headers: withToken(TEST_TOKEN, { 'Content-Type': 'application/json' }),
    });
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body).error).toBe('request body is larger than 1048576 bytes');
  });
});
