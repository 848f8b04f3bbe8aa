/**
 * The console at 800×600 and at 200 % zoom (the same page in half the CSS pixels of a 1366×860
 * screen), in real Chromium against a real gateway: nothing needs sideways scrolling and every
 * control stays reachable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, saveGatewayLog, screenshot } from './browser.js';
import { startGateway, type RunningGateway } from './gateway-process.js';

const ACTION_TIMEOUT_MS = 8000;
const SIZES = [
  { name: '800x600', viewport: { width: 800, height: 600 }, deviceScaleFactor: 1 },
  { name: 'zoom-200', viewport: { width: 683, height: 430 }, deviceScaleFactor: 2 },
] as const;

let gateway: RunningGateway;
let browser: Browser;

beforeAll(async () => {
  [gateway, browser] = await Promise.all([
    startGateway([
      { id: 'web', name: 'Intranet', path: '/', servers: [{ id: 'v1', name: 'App 1.0' }, { id: 'v2', name: 'App 1.1 with a longer name' }] },
    ]),
    launchChromium(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  saveGatewayLog('small-screens', gateway);
});

/** How far the page (or the open dialog) sticks out sideways, in CSS pixels. */
function overflow(page: Page): Promise<number> {
  return page.evaluate(
    `Math.max(document.documentElement.scrollWidth - document.documentElement.clientWidth, ...[...document.querySelectorAll('[role=dialog]')].map((d) => d.scrollWidth - d.clientWidth))`,
  ) as Promise<number>;
}

describe.each(SIZES)('the console at $name', ({ name, viewport, deviceScaleFactor }) => {
  let page: Page;

  beforeAll(async () => {
    const context = await browser.newContext({ viewport, deviceScaleFactor, colorScheme: 'light' });
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    page = await context.newPage();
    await page.goto(gateway.consoleUrl);
    await page.getByRole('slider', { name: 'Capacity of App 1.0' }).waitFor();
    await page.waitForTimeout(800);
  });

  it('shows the dashboard without sideways scrolling, every control reachable', async () => {
    await screenshot(page, `small-${name}-dashboard`, { fullPage: false });
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    for (const control of [
      page.getByRole('banner').getByRole('button', { name: 'Settings' }),
      page.getByRole('banner').getByRole('button', { name: 'Add cluster' }),
      page.getByRole('slider', { name: 'Capacity of App 1.1 with a longer name' }),
      page.getByRole('button', { name: 'More actions for App 1.1 with a longer name' }),
    ]) {
      await control.scrollIntoViewIfNeeded();
      const box = (await control.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
    }
    // On a screen this short the header scrolls away instead of covering a third of it.
    if (viewport.height < 500) {
      await page.mouse.wheel(0, 400);
      await expect.poll(() => page.getByRole('banner').evaluate((element) => element.getBoundingClientRect().bottom)).toBeLessThanOrEqual(0);
      await page.mouse.wheel(0, -2000);
    }
  });

  it('fits the settings and replace dialogs', async () => {
    await page.getByRole('banner').getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Gateway settings' });
    await settings.getByRole('tab', { name: 'Routes' }).click();
    await page.waitForTimeout(400);
    await screenshot(page, `small-${name}-settings-routes`, { fullPage: false });
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await settings.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('button', { name: 'More actions for App 1.0' }).click();
    await page.getByRole('menuitem', { name: 'Replace with a new version…' }).click();
    await page.waitForTimeout(400);
    await screenshot(page, `small-${name}-replace`, { fullPage: false });
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    const submit = page.getByRole('dialog').getByRole('button', { name: 'Check and replace' });
    await submit.scrollIntoViewIfNeeded();
    expect(await submit.isVisible()).toBe(true);
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  });
});
