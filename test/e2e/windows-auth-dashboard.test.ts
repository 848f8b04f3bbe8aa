/**
 * The dashboard shows Windows-authenticated (pinned) connections of a draining server next to its
 * requests in flight, in real Chromium against a real headless gateway.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, saveGatewayLog, screenshot } from './browser.js';
import { startGateway, type RunningGateway } from './gateway-process.js';

let gateway: RunningGateway;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [gateway, browser] = await Promise.all([
    startGateway([{ id: 'intranet', name: 'Intranet', path: '/', servers: [{ id: 'iis', name: 'IIS 10' }, { id: 'iis-new', name: 'IIS 10 new' }] }]),
    launchChromium(),
  ]);
  const context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
  context.setDefaultTimeout(8000);
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  saveGatewayLog('windows-auth-dashboard', gateway);
});

describe('Windows-authenticated connections in the dashboard', () => {
  it('counts a draining server\'s pinned connections among what remains', async () => {
    // One browser-like connection that signs in with NTLM and keeps working on the old server.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    let cookie = '';
    const get = () =>
      new Promise<number>((resolve, reject) => {
        http
          .get(`${gateway.listenerUrl}/`, { agent, headers: { authorization: 'NTLM TlRMTVNTUAABAAAAB4IIAAAAAAAAAAAAAAAAAAAAAAA=', ...(cookie ? { cookie } : {}) } }, (res) => {
            const setCookie = res.headers['set-cookie']?.[0];
            if (setCookie) cookie = setCookie.split(';')[0]!;
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          })
          .on('error', reject);
      });
    expect(await get()).toBe(200);
    const keepWorking = setInterval(() => void get().catch(() => undefined), 1000);
    try {
      const state = await gateway.state();
      const pinnedServer = state.clusters[0]!.servers.find((s) => s.pinnedConnections === 1)!;
      expect(pinnedServer).toBeDefined();
      expect((await gateway.api('POST', `/api/clusters/intranet/servers/${pinnedServer.id}/drain`)).status).toBe(200);

      await page.goto(gateway.consoleUrl);
      const notice = page.getByRole('group', { name: `Server ${pinnedServer.name}`, exact: true }).getByTestId('server-notice');
      await expect.poll(() => notice.textContent(), { timeout: 8000 }).toContain('1 Windows-authenticated connection');
      expect(await notice.textContent()).toContain('close when their users stop working');
      await screenshot(page, 'windows-auth-draining');
    } finally {
      clearInterval(keepWorking);
      agent.destroy();
    }
  });
});
