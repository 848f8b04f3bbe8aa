import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { eventually, startGateway } from '../support/gateway-harness.js';
import { User } from '../support/http-client.js';
import { startBackends } from '../support/test-backend.js';
import { stopAfterEach } from '../support/fixtures.js';

const t = stopAfterEach();

const FLOOD_REQUESTS = 20_000;
const FLOOD_CONNECTIONS = 20;
const FLOOD_BATCH = 8;

/**
 * Cookie-less and forged-cookie requests as fast as the gateway answers them, from three addresses
 * behind a trusted proxy: raw keep-alive connections, each sending batches of pipelined requests.
 * Returns how many were answered 200.
 */
async function flood(port: number, total: number): Promise<number> {
  const perConnection = Math.ceil(total / FLOOD_CONNECTIONS);
  const connection = (index: number): Promise<number> =>
    new Promise((resolve) => {
      let ok = 0;
      let sent = 0;
      let awaiting = 0;
      let text = '';
      const socket = net.connect(port, '127.0.0.1');
      const sendBatch = (): void => {
        let batch = '';
        while (awaiting < FLOOD_BATCH && sent < perConnection) {
          const forged = sent % 2 === 1 ? `Cookie: sb-web=a.${'A'.repeat(22)}.${'B'.repeat(22)}\r\n` : '';
          batch += `GET /flood/${index}/${sent} HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 192.0.2.${index % 3}\r\n${forged}\r\n`;
          sent++;
          awaiting++;
        }
        socket.write(batch);
      };
      socket.on('connect', sendBatch);
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString('latin1');
        // Each answer is complete once its body (the backend's JSON, ending in "}") has arrived.
        let at: number;
        while ((at = text.indexOf('HTTP/1.1 ')) >= 0) {
          const next = text.indexOf('HTTP/1.1 ', at + 9);
          if (next < 0 && !text.endsWith('}')) break;
          if (text.startsWith('HTTP/1.1 200', at)) ok++;
          awaiting--;
          text = next < 0 ? '' : text.slice(next);
        }
        if (awaiting === 0 && sent === perConnection) socket.end();
        else if (awaiting === 0) sendBatch();
      });
      socket.on('close', () => resolve(ok));
      socket.on('error', () => resolve(ok));
    });
  const counts = await Promise.all(Array.from({ length: FLOOD_CONNECTIONS }, (_, i) => connection(i)));
  return counts.reduce((sum, n) => sum + n, 0);
}

async function serverState(id: string) {
  const state = await t.harness!.control.getState();
  return state.clusters[0]!.servers.find((s) => s.id === id)!;
}

describe('a flood of requests without a valid cookie', () => {
  it('leaves the session table small while returning users keep their sessions and servers', async () => {
    t.backends = await startBackends('a', 'b');
    t.harness = await startGateway(
      [{ id: 'web', name: 'Web', healthCheck: { type: 'tcp', intervalSec: 3600 }, servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }, { id: 'b', name: 'B', url: t.backends[1]!.url }] }],
      { trustedProxies: ['127.0.0.1'] },
    );
    const users = Array.from({ length: 10 }, (_, i) => ({ user: new User(t.harness!.url), address: `198.51.100.${i}` }));
    const homes = [];
    for (const { user, address } of users) homes.push((await user.get('/', { 'x-forwarded-for': address })).backend);
    for (const { user, address } of users) await user.get('/back', { 'x-forwarded-for': address });
    expect(new Set(homes).size).toBe(2);

    const served = await flood(t.harness.port, FLOOD_REQUESTS);
    expect(served).toBe(FLOOD_REQUESTS);

    // Only the users who came back with their cookie have a stored session.
    expect(t.harness.gateway.sessions.size).toBe(users.length);
    for (const [i, { user, address }] of users.entries()) {
      const reply = await user.get('/after-flood', { 'x-forwarded-for': address });
      expect(reply.status).toBe(200);
      expect(reply.backend).toBe(homes[i]);
      expect(reply.headers['set-cookie']?.some((line) => line.startsWith('sb-web='))).toBeFalsy();
    }
    const state = await t.harness.control.getState();
    expect(state.clusters[0]!.sessions).toBe(users.length);
  }, 180_000);
});

describe('tentative sessions and draining', () => {
  it('a cookie never returned holds a draining server for tentativeSessionSec only', async () => {
    t.backends = await startBackends('v1', 'v2');
    t.harness = await startGateway([
      {
        id: 'web', name: 'Web', tentativeSessionSec: 2,
        healthCheck: { type: 'tcp', intervalSec: 3600 },
        servers: [{ id: 'v1', name: 'Old', url: t.backends[0]!.url }, { id: 'v2', name: 'New', url: t.backends[1]!.url, capacity: 0 }],
      },
    ]);
    const visitor = new User(t.harness.url);
    expect((await visitor.get('/')).backend).toBe('v1');
    await t.harness.control.updateServer('web', 'v2', { capacity: 100 });
    await t.harness.control.drainServer('web', 'v1');
    // The visitor might still come back with v1's cookie: v1 waits for it, but not for the 30-minute session timeout.
    expect((await serverState('v1')).state).toBe('draining');
    await eventually(async () => expect((await serverState('v1')).state).toBe('drained'), 5000);
    expect(t.harness.events.filter((e) => e.type === 'drained')).toEqual([expect.objectContaining({ serverId: 'v1' })]);
    // Coming back after that, the visitor starts over on the new server.
    const late = await visitor.get('/late');
    expect(late.backend).toBe('v2');
    expect(late.headers['set-cookie']?.some((line) => line.startsWith('sb-web=v2.'))).toBe(true);
  });

  it('a cookie returned within the window stays with the draining server, which keeps the session', async () => {
    t.backends = await startBackends('v1', 'v2');
    t.harness = await startGateway([
      {
        id: 'web', name: 'Web',
        healthCheck: { type: 'tcp', intervalSec: 3600 },
        servers: [{ id: 'v1', name: 'Old', url: t.backends[0]!.url }, { id: 'v2', name: 'New', url: t.backends[1]!.url, capacity: 0 }],
      },
    ]);
    const user = new User(t.harness.url);
    expect((await user.get('/login')).backend).toBe('v1');
    await t.harness.control.updateServer('web', 'v2', { capacity: 100 });
    await t.harness.control.drainServer('web', 'v1');
    const back = await user.get('/login/submit');
    expect(back.backend).toBe('v1');
    expect(back.headers['set-cookie']?.some((line) => line.startsWith('sb-web='))).toBeFalsy();
    const v1 = await serverState('v1');
    expect(v1.state).toBe('draining');
    expect(v1.sessions).toBe(1);
  });
});

describe('sessions per client address', () => {
  it('beyond limits.sessionsPerClient, new sessions of that address are served and sticky but not stored', async () => {
    t.backends = await startBackends('a', 'b');
    t.harness = await startGateway(
      [{ id: 'web', name: 'Web', healthCheck: { type: 'tcp', intervalSec: 3600 }, servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }, { id: 'b', name: 'B', url: t.backends[1]!.url }] }],
      { limits: { sessionsPerClient: 3 } },
    );
    const users = Array.from({ length: 6 }, () => new User(t.harness!.url));
    const homes = [];
    for (const user of users) homes.push((await user.get('/')).backend);
    for (let round = 0; round < 3; round++) {
      for (const [i, user] of users.entries()) {
        const reply = await user.get(`/page/${round}`);
        expect(reply.status).toBe(200);
        expect(reply.backend).toBe(homes[i]);
      }
    }
    expect((await t.harness.control.getState()).clusters[0]!.sessions).toBe(3);
  });
});
