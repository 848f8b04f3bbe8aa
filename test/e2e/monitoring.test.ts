/**
 * Monitoring in real Chromium against a real headless gateway: each server row shows its latency
 * p50/p99 and the last 5 minutes' errors by class, and the session chart already holds the
 * gateway's own history when the page opens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ServerHistory } from '../../proxy/control/control-api.js';
import { launchChromium, saveGatewayLog, screenshot } from './browser.js';
import { startGateway, type RunningGateway } from './gateway-process.js';

const ACTION_TIMEOUT_MS = 8000;

let gateway: RunningGateway;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [gateway, browser] = await Promise.all([
    startGateway([{ id: 'web', name: 'Intranet', path: '/', servers: [{ id: 'v1', name: 'App 1.0' }] }]),
    launchChromium(),
  ]);
  const context = await browser.newContext({ viewport: { width: 1366, height: 860 }, colorScheme: 'light' });
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  saveGatewayLog('monitoring', gateway);
});

describe('monitoring in the console', () => {
  it('shows p50/p99 and the error classes on the row, and a chart with the history from before the page opened', async () => {
    for (const path of ['/', '/a', '/status/404', '/status/404', '/status/500']) await fetch(`${gateway.listenerUrl}${path}`);
    // The gateway keeps its first history point at its first stats tick.
    await expect
      .poll(async () => (await gateway.api<ServerHistory>('GET', '/api/clusters/web/servers/v1/history')).body.points.length, { timeout: 10_000 })
      .toBeGreaterThan(0);

    const openedAt = Date.now();
    await page.goto(gateway.consoleUrl);
    const row = page.getByRole('group', { name: 'Server App 1.0', exact: true });
    await row.waitFor();

    await expect.poll(() => row.getByTestId('latency').textContent()).toMatch(/^p50 [\d.]+ m?s · p99 [\d.]+ m?s$/);
    await expect.poll(() => row.getByTestId('error-rate').textContent()).toBe('60% errors in 5 min');
    expect(await row.getByTestId('error-classes').textContent()).toBe('backend 4xx 2 · 5xx 1');

    // Without the gateway's history the chart's first point would be the page's own first snapshot.
    const chart = row.getByRole('img', { name: 'Live sessions on App 1.0 over the last hour' });
    await expect.poll(async () => Number(await chart.getAttribute('data-first-point')) * 1000).toBeLessThan(openedAt);
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(1);
    await screenshot(page, 'monitoring-row');
  });
});
