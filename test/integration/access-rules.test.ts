/**
 * Access rules on real sockets: the client address as the gateway sees it (IPv4, IPv6, behind a
 * trusted proxy), refused with a 403 or a dropped connection.
 */
import http from 'node:http';
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { compileAccessRule, compileAddressList, refuseRequest, refusingMatcher, type AccessMatcher, type AddressList } from '../../proxy/routing/access-rules.js';
import { resolveClientAddress } from '../../proxy/routing/client-address.js';
import { closeServer, listenOnLoopback } from '../support/loopback-server.js';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await closeServer(server);
  }
});

/** What the gateway does per request: resolve the client, check server-wide then route rules. */
async function startGuardedServer(host: string, trusted: AddressList, ...matchers: AccessMatcher[]): Promise<number> {
  const server = http.createServer((req, res) => {
    const client = resolveClientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], trusted);
    const refusing = refusingMatcher(client, ...matchers);
    if (refusing) return refuseRequest(refusing.action, req, res);
    res.end(`welcome ${client}`);
  });
  await listenOnLoopback(server, 0, host);
  servers.push(server);
  return (server.address() as net.AddressInfo).port;
}

function get(host: string, port: number, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host, port, path: '/', headers, agent: false }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

const noProxies = compileAddressList([]);

describe('access rules on loopback', () => {
  it('lets an allowed IPv4 client in and answers 403 to a denied one', async () => {
    const allowed = await startGuardedServer('127.0.0.1', noProxies, compileAccessRule({ mode: 'allow', addresses: ['127.0.0.0/8'], action: '403' }));
    expect(await get('127.0.0.1', allowed)).toEqual({ status: 200, body: 'welcome 127.0.0.1' });

    const denied = await startGuardedServer('127.0.0.1', noProxies, compileAccessRule({ mode: 'deny', addresses: ['127.0.0.1'], action: '403' }));
    const reply = await get('127.0.0.1', denied);
    expect(reply.status).toBe(403);
    expect(reply.body).toMatch(/Access denied/);
  });

  it('drops the connection without an answer when the action is close', async () => {
    const port = await startGuardedServer('127.0.0.1', noProxies, compileAccessRule({ mode: 'allow', addresses: ['10.0.0.0/8'], action: 'close' }));
    await expect(get('127.0.0.1', port)).rejects.toThrow(/socket hang up|ECONNRESET/);
  });

  it('matches IPv6 clients against IPv6 ranges', async () => {
    const port = await startGuardedServer('::1', noProxies, compileAccessRule({ mode: 'allow', addresses: ['::1/128'], action: '403' }));
    expect(await get('::1', port)).toEqual({ status: 200, body: 'welcome ::1' });
    const other = await startGuardedServer('::1', noProxies, compileAccessRule({ mode: 'allow', addresses: ['fd00::/8'], action: '403' }));
    expect((await get('::1', other)).status).toBe(403);
  });

  it('believes X-Forwarded-For only from a trusted proxy', async () => {
    const rule = compileAccessRule({ mode: 'allow', addresses: ['10.20.0.0/16'], action: '403' });
    const behindProxy = await startGuardedServer('127.0.0.1', compileAddressList(['127.0.0.1']), rule);
    expect(await get('127.0.0.1', behindProxy, { 'x-forwarded-for': '10.20.3.4' })).toEqual({ status: 200, body: 'welcome 10.20.3.4' });
    expect((await get('127.0.0.1', behindProxy, { 'x-forwarded-for': '10.20.3.4, 192.0.2.1' })).status).toBe(403);

    const untrusted = await startGuardedServer('127.0.0.1', compileAddressList(['192.0.2.0/24']), rule);
    expect((await get('127.0.0.1', untrusted, { 'x-forwarded-for': '10.20.3.4' })).status).toBe(403);
  });

  it('applies the server-wide rule before the route rule', async () => {
    const serverWide = compileAccessRule({ mode: 'deny', addresses: ['127.0.0.2'], action: 'close' });
    const route = compileAccessRule({ mode: 'allow', addresses: ['127.0.0.0/8'], action: '403' });
    const port = await startGuardedServer('127.0.0.1', compileAddressList(['127.0.0.1']), serverWide, route);
    await expect(get('127.0.0.1', port, { 'x-forwarded-for': '127.0.0.2' })).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await get('127.0.0.1', port, { 'x-forwarded-for': '127.0.0.3' })).status).toBe(200);
    expect((await get('127.0.0.1', port, { 'x-forwarded-for': '192.0.2.1' })).status).toBe(403);
  });
});
