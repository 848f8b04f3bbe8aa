/**
 * The dashboard in real Chromium against a real headless gateway with real backends: sign-in,
 * live figures, the capacity slider by mouse and keyboard, forms with the API's validation,
 * removal, the soft-rollout replace flow, draining to "safe to stop", and reconnecting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { launchChromium, saveGatewayLog, screenshot, serverRow } from './browser.js';
import { createSessions, startGateway, type RunningGateway } from './gateway-process.js';

const VIEWPORT = { width: 1366, height: 860 };
const ACTION_TIMEOUT_MS = 8000;

let gateway: RunningGateway;
let browser: Browser;
let context: BrowserContext;
let page: Page;

/** The bodies of the PATCH requests the page sends, to count how often a slider applied. */
function recordPatches(target: Page): { bodies: string[]; stop(): void } {
  const bodies: string[] = [];
  const listener = (request: Request) => {
    if (request.method() === 'PATCH') bodies.push(request.postData() ?? '');
  };
  target.on('request', listener);
  return { bodies, stop: () => target.off('request', listener) };
}

beforeAll(async () => {
  [gateway, browser] = await Promise.all([
    startGateway([
      { id: 'web', name: 'Intranet', path: '/', servers: [{ id: 'v1', name: 'App 1.0' }, { id: 'v2', name: 'App 1.1' }] },
      { id: 'quick', name: 'Timesheets', path: '/timesheets', sessionTimeoutSec: 2, servers: [{ id: 't1', name: 'Timesheets 3.2' }] },
    ]),
    launchChromium(),
  ]);
  context = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light' });
  // Well under the test timeout, so that a missing element fails with its own message.
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  saveGatewayLog('dashboard', gateway);
});

describe('dashboard against a headless gateway', () => {
  it('signs in from the console link and takes the token out of the address bar', async () => {
    await page.goto(gateway.consoleUrl);
    await expect(page.getByRole('slider', { name: 'Capacity of App 1.0' }).waitFor()).resolves.toBeUndefined();
    expect(page.url()).not.toContain('token');
    expect(page.url()).not.toContain(gateway.token);
    expect(await page.evaluate('window.sessionStorage.getItem("switchboard.adminToken")')).toBe(gateway.token);
    expect(await page.evaluate('window.localStorage.length')).toBe(0);
  });

  it('asks for a token, and says so clearly when a wrong one is given', async () => {
    const other = await browser.newContext({ viewport: VIEWPORT });
    other.setDefaultTimeout(ACTION_TIMEOUT_MS);
    try {
      const signIn = await other.newPage();
      await signIn.goto(gateway.adminUrl);
      await signIn.getByLabel('Access token').waitFor();
      await screenshot(signIn, 'sign-in');

      await signIn.goto(`${gateway.adminUrl}/#token=not-the-right-token`);
      await expect.poll(() => signIn.getByRole('alert').textContent()).toContain('not accepted');
      expect(signIn.url()).not.toContain('not-the-right-token');
      await screenshot(signIn, 'sign-in-refused');

      await signIn.getByLabel('Access token').fill(gateway.token);
      await signIn.getByRole('button', { name: 'Sign in' }).click();
      await signIn.getByRole('slider', { name: 'Capacity of App 1.1' }).waitFor();
    } finally {
      await other.close();
    }
  });

  it('shows the same live session counts as the API', async () => {
    await createSessions(gateway.listenerUrl, '/', 8);
    const state = await gateway.state();
    const servers = state.clusters.find((c) => c.id === 'web')!.servers;
    expect(servers.reduce((sum, s) => sum + s.sessions, 0)).toBe(8);
    for (const { name, sessions } of servers) {
      await expect.poll(() => serverRow(page, name).getByTestId('live-sessions').textContent(), { timeout: 5000 }).toBe(String(sessions));
    }
    await page.waitForTimeout(1500);
    await screenshot(page, 'dashboard-light');
  });

  it('drains a server when its slider is dragged to 0 with the mouse, sending one change on release', async () => {
    const patches = recordPatches(page);
    const slider = page.getByRole('slider', { name: 'Capacity of App 1.0' });
    const box = (await slider.boundingBox())!;
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.5, y);
    await page.mouse.down();
    for (let step = 1; step <= 10; step++) await page.mouse.move(box.x + box.width * 0.5 * (1 - step / 10) - 4, y);
    // Nothing is applied while the button is still held.
    expect(patches.bodies).toEqual([]);
    await page.mouse.up();

    await expect.poll(async () => (await gateway.server('web', 'App 1.0'))?.capacity).toBe(0);
    expect((await gateway.server('web', 'App 1.0'))?.state).toBe('draining');
    expect(patches.bodies.map((body) => JSON.parse(body))).toEqual([{ capacity: 0 }]);
    patches.stop();

    const notice = serverRow(page, 'App 1.0').getByTestId('server-notice');
    await expect.poll(() => notice.textContent()).toMatch(/Draining: \d+ sessions? remaining · all expire by .+ at the latest/);
    await screenshot(page, 'dashboard-draining');
  });

  it('applies keyboard changes of the slider once, after the keys settle', async () => {
    const patches = recordPatches(page);
    const slider = page.getByRole('slider', { name: 'Capacity of App 1.1' });
    await slider.focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowUp');
    await expect.poll(async () => (await gateway.server('web', 'App 1.1'))?.capacity).toBe(1);
    expect(patches.bodies.map((body) => JSON.parse(body))).toEqual([{ capacity: 1 }]);

    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('End');
    await expect.poll(async () => (await gateway.server('web', 'App 1.1'))?.capacity).toBe(100);
    expect(patches.bodies.map((body) => JSON.parse(body))).toEqual([{ capacity: 1 }, { capacity: 100 }]);
    await expect.poll(() => slider.getAttribute('aria-valuenow').then((v) => v ?? slider.inputValue())).toBe('100');
    patches.stop();
  });

  it('shows the API’s validation message next to the URL field, then adds the server', async () => {
    await page.getByRole('region', { name: 'Cluster Intranet' }).getByRole('button', { name: 'Add server' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: /^Name/ }).fill('App 2.0');
    await dialog.getByRole('textbox', { name: /^URL/ }).fill('ftp://10.0.0.5/app');
    await dialog.getByRole('button', { name: 'Add server' }).click();

    const urlInput = dialog.getByRole('textbox', { name: /^URL/ });
    // `has` locators are resolved inside each candidate field, so they start from the page.
    const urlField = dialog.locator('.fui-Field', { has: page.getByRole('textbox', { name: /^URL/ }) });
    await expect.poll(() => urlField.textContent()).toMatch(/must be an http:\/\/ or https:\/\/ URL/i);
    expect(await urlInput.getAttribute('aria-invalid')).toBe('true');
    const nameField = dialog.locator('.fui-Field', { has: page.getByRole('textbox', { name: /^Name/ }) });
    expect(await nameField.textContent()).not.toMatch(/must/i);
    expect(await gateway.server('web', 'App 2.0')).toBeUndefined();
    await screenshot(page, 'add-server-invalid-url');

    await urlInput.fill(gateway.spareBackendUrl);
    await dialog.getByRole('button', { name: 'Add server' }).click();
    await expect.poll(async () => (await gateway.server('web', 'App 2.0'))?.url).toBe(gateway.spareBackendUrl);
    await serverRow(page, 'App 2.0').waitFor();
    expect(await dialog.count()).toBe(0);
  });

  it('asks before removing a server, and warns when it still has sessions', async () => {
    const withSessions = await gateway.server('web', 'App 1.0');
    expect(withSessions?.sessions).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'More actions for App 1.0' }).click();
    await page.getByRole('menuitem', { name: 'Remove server…' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.textContent()).toContain(`still has ${withSessions!.sessions} live session`);
    await screenshot(page, 'remove-server-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await gateway.server('web', 'App 1.0')).toBeDefined();

    await page.getByRole('button', { name: 'More actions for App 2.0' }).click();
    await page.getByRole('menuitem', { name: 'Remove server…' }).click();
    await dialog.getByRole('button', { name: 'Remove server' }).click();
    await expect.poll(async () => await gateway.server('web', 'App 2.0')).toBeUndefined();
    await expect.poll(() => serverRow(page, 'App 2.0').count()).toBe(0);
  });

  it('replaces a server: the new one gets the old capacity and the old one drains', async () => {
    const old = await gateway.server('web', 'App 1.1');
    expect(old?.capacity).toBe(100);
    expect(old?.sessions).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'More actions for App 1.1' }).click();
    await page.getByRole('menuitem', { name: 'Replace with a new version…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: /name/ }).fill('App 1.2');
    await dialog.getByRole('textbox', { name: /URL/ }).fill(gateway.spareBackendUrl);
    await screenshot(page, 'replace-server');
    await dialog.getByRole('button', { name: 'Check and replace' }).click();

    await expect.poll(async () => (await gateway.server('web', 'App 1.2'))?.capacity).toBe(100);
    await expect.poll(async () => (await gateway.server('web', 'App 1.1'))?.capacity).toBe(0);
    await expect.poll(() => dialog.getByTestId('replace-status').textContent()).toContain('App 1.2 answers and takes new users');
    await dialog.getByRole('button', { name: 'Done' }).click();
    expect((await gateway.server('web', 'App 1.1'))?.state).toBe('draining');
    await expect.poll(() => serverRow(page, 'App 1.1').getByTestId('server-notice').textContent()).toContain('Draining');
    await expect.poll(() => serverRow(page, 'App 1.2').locator('[data-state]').getAttribute('data-state')).toBe('active');
  });

  it('does no work while the page is hidden and catches up when it is shown again', async () => {
    const before = (await gateway.server('web', 'App 1.2'))!.sessions;
    await expect.poll(() => serverRow(page, 'App 1.2').getByTestId('live-sessions').textContent()).toBe(String(before));
    const apiRequests: string[] = [];
    const onRequest = (request: Request) => {
      if (request.url().includes('/api/')) apiRequests.push(request.url());
    };
    await setPageVisibility(page, 'hidden');
    page.on('request', onRequest);
    await createSessions(gateway.listenerUrl, '/', 3);
    await expect.poll(async () => (await gateway.server('web', 'App 1.2'))?.sessions).toBe(before + 3);
    await page.waitForTimeout(2500);
    expect(await serverRow(page, 'App 1.2').getByTestId('live-sessions').textContent()).toBe(String(before));
    expect(apiRequests).toEqual([]);
    page.off('request', onRequest);

    await setPageVisibility(page, 'visible');
    await expect.poll(() => serverRow(page, 'App 1.2').getByTestId('live-sessions').textContent(), { timeout: 5000 }).toBe(String(before + 3));
  });

  it('edits a cluster’s settings, showing the API’s message next to the field', async () => {
    await page.getByRole('button', { name: 'More actions for cluster Timesheets' }).click();
    await page.getByRole('menuitem', { name: 'Cluster settings…' }).click();
    const dialog = page.getByRole('dialog');
    const timeout = dialog.getByRole('spinbutton', { name: 'Session timeout (seconds)' });
    await timeout.fill('0');
    await dialog.getByRole('combobox', { name: 'New sessions go to' }).selectOption('round-robin');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const timeoutField = dialog.locator('.fui-Field', { has: page.getByRole('spinbutton', { name: 'Session timeout (seconds)' }) });
    await expect.poll(() => timeoutField.textContent()).toMatch(/must be at least 1 second/i);
    expect((await gateway.state()).clusters.find((c) => c.id === 'quick')?.balancing).toBe('least-sessions');
    await screenshot(page, 'cluster-settings-invalid');

    await timeout.fill('2');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await gateway.state()).clusters.find((c) => c.id === 'quick')?.balancing).toBe('round-robin');
    expect((await gateway.state()).clusters.find((c) => c.id === 'quick')?.sessionTimeoutSec).toBe(2);
    await expect.poll(() => dialog.count()).toBe(0);
  });

  it('starts a new cluster from the configuration schema’s defaults without tripping the page’s Content-Security-Policy', async () => {
    // A page of its own, so that the dialogs' code is loaded while it is watched.
    const fresh = await context.newPage();
    await fresh.addInitScript(
      `window.refusedByPolicy = []; document.addEventListener('securitypolicyviolation', (event) => window.refusedByPolicy.push(event.violatedDirective));`,
    );
    try {
      await fresh.goto(gateway.consoleUrl);
      await fresh.getByRole('banner').getByRole('button', { name: 'Add cluster' }).click();
      const dialog = fresh.getByRole('dialog');
      expect(await dialog.getByRole('spinbutton', { name: /^Session timeout/ }).inputValue()).toBe('1800');
      expect(await dialog.getByRole('spinbutton', { name: /^Timeout/ }).inputValue()).toBe('2000');
      expect(await fresh.evaluate('window.refusedByPolicy')).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it('adds a cluster, and removes it after confirming', async () => {
    await page.getByRole('banner').getByRole('button', { name: 'Add cluster' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: /^Name/ }).fill('Wiki');
    await dialog.getByRole('textbox', { name: /^Id/ }).fill('wiki');
    await dialog.getByRole('button', { name: 'Add cluster' }).click();
    await expect.poll(async () => (await gateway.state()).clusters.find((c) => c.id === 'wiki')?.name).toBe('Wiki');
    const card = page.getByRole('region', { name: 'Cluster Wiki' });
    await expect.poll(() => card.textContent()).toContain('No servers yet');

    await page.getByRole('button', { name: 'More actions for cluster Wiki' }).click();
    await page.getByRole('menuitem', { name: 'Remove cluster…' }).click();
    await expect.poll(() => dialog.textContent()).toContain('Remove cluster Wiki?');
    await dialog.getByRole('button', { name: 'Remove cluster' }).click();
    await expect.poll(async () => (await gateway.state()).clusters.some((c) => c.id === 'wiki')).toBe(false);
    await expect.poll(() => card.count()).toBe(0);
  });

  it('switches a server off and on again, confirming since it is the cluster’s last active server', async () => {
    const power = page.getByRole('switch', { name: 'App 1.2 enabled' });
    await power.click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Disable App 1.2' }).click();
    await expect.poll(async () => (await gateway.server('web', 'App 1.2'))?.enabled).toBe(false);
    expect((await gateway.server('web', 'App 1.2'))?.state).toBe('disabled');
    await expect.poll(() => serverRow(page, 'App 1.2').locator('[data-state]').getAttribute('data-state')).toBe('disabled');
    await power.click();
    await expect.poll(async () => (await gateway.server('web', 'App 1.2'))?.state).toBe('active');
  });

  it('lists a server’s live sessions', async () => {
    const { sessions } = (await gateway.server('web', 'App 1.0'))!;
    await serverRow(page, 'App 1.0').getByRole('button', { name: 'Live sessions of App 1.0' }).click();
    const table = page.getByRole('table', { name: 'Live sessions of App 1.0' });
    await expect.poll(() => page.getByTestId('session-total').textContent()).toBe(`${sessions} live ${sessions === 1 ? 'session' : 'sessions'}`);
    expect(await table.getByRole('row').count()).toBe(sessions + 1);
    expect(await table.getByRole('cell').nth(1).textContent()).toMatch(/127\.0\.0\.1/);
    await screenshot(page, 'sessions', { fullPage: false });
    await page.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => table.count()).toBe(0);
  });

  it('says a drained server is safe to stop once its last session has expired', async () => {
    await createSessions(gateway.listenerUrl, '/timesheets', 2);
    await expect.poll(async () => (await gateway.server('quick', 'Timesheets 3.2'))?.sessions).toBe(2);
    // Another active server, so that draining this one is the ordinary step it should be.
    expect((await gateway.api('POST', '/api/clusters/quick/servers', { name: 'Timesheets 3.3', url: gateway.spareBackendUrl })).status).toBe(201);
    await serverRow(page, 'Timesheets 3.3').waitFor();
    await serverRow(page, 'Timesheets 3.2').getByRole('button', { name: 'Drain Timesheets 3.2' }).click();
    const notice = serverRow(page, 'Timesheets 3.2').getByTestId('server-notice');
    await expect.poll(async () => (await gateway.server('quick', 'Timesheets 3.2'))?.state, { timeout: 10_000 }).toBe('drained');
    await expect.poll(() => notice.textContent(), { timeout: 5000 }).toContain('No sessions left — safe to stop');
    await screenshot(page, 'dashboard-drained');
  });

  it('looks right in dark mode', async () => {
    const dark = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'dark' });
    dark.setDefaultTimeout(ACTION_TIMEOUT_MS);
    try {
      const darkPage = await dark.newPage();
      await darkPage.goto(gateway.consoleUrl);
      await darkPage.getByRole('slider', { name: 'Capacity of App 1.0' }).waitFor();
      const background = await darkPage.evaluate('getComputedStyle(document.querySelector("main").parentElement).backgroundColor');
      expect(brightness(String(background))).toBeLessThan(80);
      await darkPage.waitForTimeout(1200);
      await screenshot(darkPage, 'dashboard-dark');
    } finally {
      await dark.close();
    }
  });

  it('shows "Reconnecting…" while the gateway restarts and recovers by itself', async () => {
    await gateway.stopGateway();
    const banner = page.getByTestId('reconnecting');
    await banner.waitFor({ timeout: 10_000 });
    expect(await banner.textContent()).toContain('Reconnecting…');
    await screenshot(page, 'reconnecting');
    await gateway.startGatewayAgain();
    await banner.waitFor({ state: 'detached', timeout: 15_000 });
    expect(await page.getByTestId('link-status').textContent()).toBe('Live');
    await serverRow(page, 'App 1.2').waitFor();
  });
});

/** Headless Chromium is always "visible"; this makes the page believe it was minimised or restored. */
async function setPageVisibility(target: Page, state: 'hidden' | 'visible'): Promise<void> {
  await target.evaluate(
    `Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => '${state}' });` +
      `document.dispatchEvent(new Event('visibilitychange'));`,
  );
}

function brightness(cssColor: string): number {
  const [r = 255, g = 255, b = 255] = (cssColor.match(/\d+/g) ?? []).map(Number);
  return (r + g + b) / 3;
}
