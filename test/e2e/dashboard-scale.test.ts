/**
 * The dashboard at a larger scale: 50 servers on one page, and a session list of thousands of
 * rows. Times are printed for the report, never asserted; what is asserted is that everything is
 * shown and that the session list renders only the rows on screen.
 */
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, saveGatewayLog, screenshot } from './browser.js';
import { startGateway, type RunningGateway } from './gateway-process.js';

const SERVER_COUNT = 50;
const SESSION_COUNT = Number(process.env.SWITCHBOARD_E2E_SESSIONS ?? 100_000);

let gateway: RunningGateway;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const servers = Array.from({ length: SERVER_COUNT }, (_, i) => ({ id: `app-${i + 1}`, name: `App server ${i + 1}`, capacity: i === 0 ? 100 : 0 }));
  [gateway, browser] = await Promise.all([
    startGateway([{ id: 'big', name: 'Big intranet', path: '/', servers }]),
    launchChromium(),
  ]);
  const context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
  context.setDefaultTimeout(20_000);
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  saveGatewayLog('dashboard-scale', gateway);
});

describe('dashboard at scale', () => {
  it(`paints ${SERVER_COUNT} servers`, async () => {
    await page.goto(gateway.consoleUrl);
    await page.getByRole('slider', { name: `Capacity of App server ${SERVER_COUNT}`, exact: true }).waitFor();
    const allRowsMs = Number(await page.evaluate('performance.now()'));
    const firstContentfulPaintMs = Number(
      await page.evaluate(`performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1`),
    );
    console.log(
      `[measure] ${SERVER_COUNT} servers: first contentful paint ${firstContentfulPaintMs.toFixed(0)} ms, ` +
        `all ${SERVER_COUNT} server rows in the page ${allRowsMs.toFixed(0)} ms after navigation start`,
    );
    expect(await page.getByRole('slider').count()).toBe(SERVER_COUNT);
    expect(await page.getByRole('group', { name: /^Server App server \d+$/ }).count()).toBe(SERVER_COUNT);
    await screenshot(page, 'dashboard-50-servers');
  });

  it(`lists ${SESSION_COUNT} sessions while rendering only the rows on screen`, async () => {
    await createManySessions(gateway.listenerUrl, SESSION_COUNT);
    const started = Date.now();
    await page.getByRole('button', { name: 'Live sessions of App server 1', exact: true }).click();
    await expect.poll(() => page.getByTestId('session-total').textContent(), { timeout: 20_000 }).toBe(
      `${SESSION_COUNT.toLocaleString('en-US')} live sessions`,
    );
    console.log(`[measure] session list of ${SESSION_COUNT} rows shown ${Date.now() - started} ms after the click`);
    const table = page.getByRole('table', { name: 'Live sessions of App server 1', exact: true });
    expect(await table.getAttribute('aria-rowcount')).toBe(String(SESSION_COUNT + 1));
    const renderedRows = await table.getByRole('row').count();
    expect(renderedRows).toBeGreaterThan(5);
    expect(renderedRows).toBeLessThan(100);

    await screenshot(page, 'sessions-many', { fullPage: false });
    // Scrolling to the end brings the last rows in, still without rendering the rest.
    await table.getByRole('rowgroup').hover();
    for (let i = 0; i < 10; i++) await page.mouse.wheel(0, SESSION_COUNT * 4);
    await expect.poll(() => table.locator(`[aria-rowindex="${SESSION_COUNT + 1}"]`).count()).toBe(1);
    expect(await table.getByRole('row').count()).toBeLessThan(100);
  }, 300_000);
});

/**
 * New sessions through the gateway, 32 at a time over keep-alive connections: each is a first
 * request and a second one returning its cookie, which is when the gateway stores a session.
 */
async function createManySessions(listenerUrl: string, count: number): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  let next = 0;
  const get = (cookie?: string) =>
    new Promise<string | undefined>((resolve, reject) => {
      const req = request(listenerUrl, { agent, headers: cookie ? { cookie } : {} }, (res) => {
        res.resume();
        const setCookie = res.headers['set-cookie']?.[0]?.split(';')[0];
        res.on('end', () => (res.statusCode === 200 ? resolve(setCookie) : reject(new Error(`the gateway answered ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end();
    });
  const worker = async () => {
    while (next < count) {
      next += 1;
      await get(await get());
    }
  };
  try {
    await Promise.all(Array.from({ length: 32 }, worker));
  } finally {
    agent.destroy();
  }
}
