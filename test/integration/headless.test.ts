/**
 * Headless mode as an admin runs it: `tsx proxy/headless.ts --config <file>` in a child process,
 * with real config files, a real backend and real signals.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../demo/free-port.js';
import { startHeadless as startHeadlessIn, type Headless } from '../support/headless-process.js';
import { closeServer, listenOnLoopback } from '../support/loopback-server.js';

let workDir: string;
let backend: Server;
let slowRequestArrived: (() => void) | undefined;

function startHeadless(configPath: string): Headless {
  return startHeadlessIn(configPath, { workDir });
}

function fetchThrough(port: number, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolveFetch, reject) => {
    get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolveFetch({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'switchboard-headless-test-'));
  backend = createServer((req, res) => {
    if (req.url !== '/slow') {
      res.end('backend says hi');
      return;
    }
    slowRequestArrived?.();
    setTimeout(() => res.end('slow answer'), 1000);
  });
  await listenOnLoopback(backend);
});

afterAll(async () => {
  await closeServer(backend);
  rmSync(workDir, { recursive: true, force: true });
});

describe('headless mode', () => {
  // A missing file is created with the default ports (8080, 9090; see config-changes.test.ts), which a
  // test must not bind: a running demo or service would hold them. The token generation is the same path.
  it('writes a fresh admin token into a config file without one and prints the console URL', async () => {
    const port = await freePort();
    const adminPort = await freePort();
    const configPath = join(workDir, 'tokenless.json');
    writeFileSync(configPath, JSON.stringify({ listeners: [{ port, host: '127.0.0.1' }], admin: { host: '127.0.0.1', port: adminPort } }));
    const headless = startHeadless(configPath);
    const [, url, token] = await headless.waitForOutput(new RegExp(`Web console: (http://127\\.0\\.0\\.1:${adminPort}/#token=([A-Za-z0-9_-]+))`));
    const config = JSON.parse(readFileSync(configPath, 'utf8'));
    expect(config.admin.token).toBe(token);
    expect(config.admin.token.length).toBeGreaterThanOrEqual(16);
    expect(url).toContain(config.admin.token);
    expect(headless.output()).toMatch(/tokenless\.json had no admin\.token: a new one was generated and saved there\./);
    expect(headless.output()).toContain(`Gateway listening on http://127.0.0.1:${port}`);

    const state = await fetch(`http://127.0.0.1:${adminPort}/api/state`, { headers: { Authorization: `Bearer ${token}` } });
    expect(state.status).toBe(200);

    headless.child.kill('SIGTERM');
    expect(await headless.exited).toBe(0);
  });

  it('refuses an invalid config file with exit code 1, naming each field, and leaves the file untouched', async () => {
    const configPath = join(workDir, 'invalid.json');
    const text = `{
  "admin": { "token": "short" },
  "clusters": [{ "id": "web", "name": "Intranet",
    "servers": [{ "id": "v1", "name": "App 1.0", "url": "http://127.0.0.1:3001", "capacity": 150 }] }]
}
`;
    writeFileSync(configPath, text);
    const headless = startHeadless(configPath);
    expect(await headless.exited).toBe(1);
    expect(headless.output()).toContain('clusters[0].servers[0].capacity must be 0–100');
    expect(headless.output()).toContain('admin.token must be at least 24 characters');
    expect(readFileSync(configPath, 'utf8')).toBe(text);
  });

  it('refuses a file that is not JSON with exit code 1 and leaves it untouched', async () => {
    const configPath = join(workDir, 'broken.json');
    const text = '{ "admin": { "token": ';
    writeFileSync(configPath, text);
    const headless = startHeadless(configPath);
    expect(await headless.exited).toBe(1);
    expect(headless.output()).toMatch(/not valid JSON/);
    expect(readFileSync(configPath, 'utf8')).toBe(text);
  });

  it('starts from a config file saved by Windows PowerShell 5.1 (UTF-8 with a byte order mark)', async () => {
    const adminPort = await freePort();
    const configPath = join(workDir, 'bom.json');
    const text = JSON.stringify({ listeners: [], admin: { host: '127.0.0.1', port: adminPort, token: 'headless-test-token-0123' } }, null, 2);
    writeFileSync(configPath, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.replace(/\n/g, '\r\n'))]));
    const headless = startHeadless(configPath);
    await headless.waitForOutput(new RegExp(`Web console: http://127\\.0\\.0\\.1:${adminPort}/`));
    headless.child.kill('SIGTERM');
    expect(await headless.exited).toBe(0);
  });

  it('reports a JSON syntax error by line and column with the line, and hints at single backslashes', async () => {
    const configPath = join(workDir, 'typo.json');
    const text = '{\r\n  "admin": { "token": "headless-test-token-0123" },\r\n  "logs": { "directory": "D:\\Switchboard\\logs" }\r\n}\r\n';
    writeFileSync(configPath, text);
    const headless = startHeadless(configPath);
    expect(await headless.exited).toBe(1);
    const output = headless.output();
    expect(output).toContain('typo.json is not valid JSON: line 3, column 30: Bad escaped character');
    expect(output).toContain('  3 |   "logs": { "directory": "D:\\Switchboard\\logs" }');
    expect(output).toContain('use \\\\ or / in Windows paths');
    expect(readFileSync(configPath, 'utf8')).toBe(text);
  });

  it('exits non-zero when its listener port is taken, naming the port, the address and the process holding it', async () => {
    const blocker = createServer();
    await listenOnLoopback(blocker);
    const takenPort = (blocker.address() as AddressInfo).port;
    try {
      const configPath = join(workDir, 'taken.json');
      writeFileSync(
        configPath,
        JSON.stringify({ listeners: [{ port: takenPort, host: '127.0.0.1' }], admin: { host: '127.0.0.1', port: await freePort(), token: 'headless-test-token-0123' } }),
      );
      const headless = startHeadless(configPath);
      expect(await headless.exited).toBe(1);
      const expected = `Switchboard cannot start: the listener http://127.0.0.1:${takenPort} could not be opened: port ${takenPort} on 127.0.0.1 is already in use by another program (EADDRINUSE)`;
      expect(headless.output()).toContain(expected);
      // This test process holds the port; Linux says so through /proc.
      if (process.platform === 'linux') expect(headless.output()).toContain(`${expected}; it is held by `);
      if (process.platform === 'linux') expect(headless.output()).toContain(` (process ${process.pid})`);
      expect(headless.output()).not.toContain('Web console:');
    } finally {
      await closeServer(blocker);
    }
  });

  it('exits non-zero when its admin port is taken, naming the process holding it', async () => {
    const blocker = createServer();
    await listenOnLoopback(blocker);
    const takenPort = (blocker.address() as AddressInfo).port;
    try {
      const configPath = join(workDir, 'admin-taken.json');
      writeFileSync(configPath, JSON.stringify({ listeners: [], admin: { host: '127.0.0.1', port: takenPort, token: 'headless-test-token-0123' } }));
      const headless = startHeadless(configPath);
      expect(await headless.exited).toBe(1);
      expect(headless.output()).toContain(`Switchboard cannot start: the admin port ${takenPort} on 127.0.0.1 is already in use`);
      if (process.platform === 'linux') expect(headless.output()).toMatch(new RegExp(`already in use; it is held by .+ \\(process ${process.pid}\\)`));
    } finally {
      await closeServer(blocker);
    }
  });

  it('stops gracefully on SIGTERM: finishes the request in flight, saves the sessions, exits 0', async () => {
    const gatewayPort = await freePort();
    const adminPort = await freePort();
    const configPath = join(workDir, 'running.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        listeners: [{ port: gatewayPort, host: '127.0.0.1' }],
        admin: { host: '127.0.0.1', port: adminPort, token: 'headless-test-token-0123' },
        routes: [{ host: '*', path: '/', cluster: 'web' }],
        clusters: [
          {
            id: 'web',
            name: 'Intranet',
            // Sessions by address are stored at the first request (a cookie session only once the cookie returns).
            sessionMethod: 'client-ip',
            healthCheck: { type: 'tcp', intervalSec: 60 },
            servers: [{ id: 'v1', name: 'App 1.0', url: `http://127.0.0.1:${(backend.address() as AddressInfo).port}` }],
          },
        ],
      }),
    );
    const headless = startHeadless(configPath);
    await headless.waitForOutput(new RegExp(`Web console: http://127\\.0\\.0\\.1:${adminPort}/#token=headless-test-token-0123`));
    expect(headless.output()).toContain(`Gateway listening on http://127.0.0.1:${gatewayPort}`);

    const response = await fetchThrough(gatewayPort);
    expect(response).toEqual({ status: 200, body: 'backend says hi' });

    const arrived = new Promise<void>((resolveArrival) => (slowRequestArrived = resolveArrival));
    const inFlight = fetchThrough(gatewayPort, '/slow');
    await arrived;
    headless.child.kill('SIGTERM');
    // The request already in flight is finished, not cut off.
    expect(await inFlight).toEqual({ status: 200, body: 'slow answer' });
    expect(await headless.exited).toBe(0);
    expect(headless.output()).toContain('Switchboard stopped.');
    const sessionsPath = join(workDir, 'running.sessions');
    expect(existsSync(sessionsPath)).toBe(true);
    expect(readFileSync(sessionsPath, 'utf8')).toMatch(/^web\t[^\t]+\tv1\t/m);
  });
});
