/** Monitoring through a real gateway: error answers by class, requests/s, and the per-server history call. */
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../demo/free-port.js';
import type { GatewaySnapshot, ServerHistory } from '../../proxy/control/control-api.js';
import { eventually, startGateway, startSwitchboardHarness, type SwitchboardHarness } from '../support/gateway-harness.js';
import { User } from '../support/http-client.js';
import { startBackends } from '../support/test-backend.js';
import { stopAfterEach } from '../support/fixtures.js';

const t = stopAfterEach();
let admin: SwitchboardHarness | undefined;
afterEach(async () => {
  await admin?.stop();
  admin = undefined;
});

async function serverOf(clusterId: string, serverId: string) {
  const state = await t.harness!.control.getState();
  return state.clusters.find((c) => c.id === clusterId)!.servers.find((s) => s.id === serverId)!;
}

describe('monitoring', () => {
  it("counts the backend's 4xx and 5xx apart from the gateway's own 502, and keeps a history the admin API gives out", async () => {
    t.backends = await startBackends('a');
    const backend = t.backends[0]!;
    backend.handlers.set('/missing', (_req, res) => res.writeHead(404).end('no such page'));
    backend.handlers.set('/broken', (_req, res) => res.writeHead(500).end('it broke'));
    const unreachable = `http://127.0.0.1:${await freePort()}`;
    admin = await startSwitchboardHarness(
      [
        { id: 'app', name: 'App', servers: [{ id: 'a', name: 'A', url: backend.url }] },
        { id: 'gone', name: 'Gone', servers: [{ id: 'g', name: 'G', url: unreachable }] },
      ],
      { routes: [{ host: '*', path: '/gone', cluster: 'gone' }, { host: '*', path: '/', cluster: 'app' }] },
    );
    const user = new User(admin.url);
    const get = async (path: string) => (await user.get(path)).status;
    expect(await get('/')).toBe(200);
    expect(await get('/missing')).toBe(404);
    expect(await get('/missing')).toBe(404);
    expect(await get('/broken')).toBe(500);
    expect(await get('/gone/x')).toBe(502);

    const state = (await admin.api('GET', '/api/state')).json as GatewaySnapshot;
    const serverOfState = (clusterId: string, serverId: string) => state.clusters.find((c) => c.id === clusterId)!.servers.find((s) => s.id === serverId)!;
    expect(serverOfState('app', 'a').errorWindow).toEqual({ windowSec: 300, requests: 4, backend4xx: 2, backend5xx: 1, gateway502: 0, gateway503: 0, gateway504: 0 });
    expect(serverOfState('gone', 'g').errorWindow).toMatchObject({ requests: 1, backend4xx: 0, backend5xx: 0, gateway502: 1 });

    // A point is kept every 10 s: wait for the first one taken after the traffic above.
    const trafficDoneAt = Date.now();
    let history: ServerHistory | undefined;
    await eventually(async () => {
      const response = await admin!.api('GET', '/api/clusters/app/servers/a/history');
      expect(response.status).toBe(200);
      history = response.json as ServerHistory;
      expect(history.points.at(-1)?.at).toBeGreaterThan(trafficDoneAt);
    }, 15_000);
    expect(history!.clusterId).toBe('app');
    expect(history!.serverId).toBe('a');
    const latest = history!.points.at(-1)!;
    expect(latest.sessions).toBe(1);
    // The backend's 500 is the one 5xx answer of this server, in whichever point came after it.
    expect(history!.points.reduce((sum, p) => sum + p.errors, 0)).toBe(1);

    expect((await admin.api('GET', '/api/clusters/app/servers/nope/history')).status).toBe(404);
  });

  it('gives requests/s as the mean of the last 5 seconds', async () => {
    t.backends = await startBackends('a');
    t.harness = await startGateway([{ id: 'app', name: 'App', servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }] }]);
    for (let i = 0; i < 20; i++) expect((await fetch(`${t.harness.url}/r/${i}`)).status).toBe(200);
    // 20 requests within the window: 4 a second once their second is whole.
    await eventually(async () => expect((await serverOf('app', 'a')).requestsPerSec).toBe(4), 4_000);
  });
});
