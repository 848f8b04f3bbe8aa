/**
 * The operations that could cause an outage, in real Chromium against a real headless gateway:
 * replacing a server checks the new one before the old one drains, the Test button probes a URL
 * without saving anything, a staged server reads as standby, not "safe to stop", and the console
 * says when a cluster is down, when the gateway is paused, and when it cannot reach the gateway;
 * every action that would leave users without a server asks first, saying what they will see;
 * the session list sorts, filters, exports CSV and ends a session after confirming; the
 * configuration downloads as a file and uploads whole or not at all; routes are edited with the
 * API's issues next to the field.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchChromium, saveGatewayLog, screenshot, serverRow } from './browser.js';
import { createSessions, freePort, startGateway, type RunningGateway } from './gateway-process.js';

const VIEWPORT = { width: 1366, height: 860 };
const ACTION_TIMEOUT_MS = 8000;

let gateway: RunningGateway;
let browser: Browser;
let context: BrowserContext;
let page: Page;

async function openReplace(name: string) {
  await page.getByRole('button', { name: `More actions for ${name}` }).click();
  await page.getByRole('menuitem', { name: 'Replace with a new version…' }).click();
  return page.getByRole('dialog');
}

beforeAll(async () => {
  [gateway, browser] = await Promise.all([
    startGateway([
      { id: 'web', name: 'Intranet', path: '/', servers: [{ id: 'v1', name: 'App 1.0', capacity: 100 }] },
      { id: 'crm', name: 'CRM', path: '/crm', servers: [{ id: 'c1', name: 'CRM 4', capacity: 100 }] },
      {
        id: 'wiki',
        name: 'Wiki',
        path: '/wiki',
        servers: [
          { id: 'w1', name: 'Wiki 1', capacity: 100 },
          { id: 'w2', name: 'Wiki 2', capacity: 0 },
          { id: 'w3', name: 'Wiki 3', capacity: 100 },
        ],
      },
      { id: 'solo', name: 'Payroll', path: '/payroll', servers: [{ id: 'p1', name: 'Payroll 7', capacity: 100 }] },
    ]),
    launchChromium(),
  ]);
  context = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light', timezoneId: 'Asia/Kolkata', locale: 'en-GB' });
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  page = await context.newPage();
  await page.goto(gateway.consoleUrl);
  await page.getByRole('slider', { name: 'Capacity of App 1.0' }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  saveGatewayLog('safe-rollout', gateway);
});

describe('replacing a server checks the new one first', () => {
  it('tests a URL from the server dialog: a mistyped one fails with the reason, a right one answers with its time', async () => {
    await page.getByRole('region', { name: 'Cluster Intranet' }).getByRole('button', { name: 'Add server' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: /^Name/ }).fill('Probe');
    await dialog.getByRole('textbox', { name: /^URL/ }).fill(`http://127.0.0.1:${await freePort()}`);
    await dialog.getByRole('button', { name: 'Test the URL of Probe' }).click();
    const result = dialog.getByTestId('probe-result');
    await expect.poll(() => result.textContent()).toMatch(/^Failed after [\d.]+ m?s: connect ECONNREFUSED .*\(HTTP GET \/ \(online below 500\)\)$/);
    await screenshot(page, 'server-dialog-test-failed');

    await dialog.getByRole('textbox', { name: /^URL/ }).fill(gateway.spareBackendUrl);
    expect(await result.textContent()).toBe('');
    await dialog.getByRole('button', { name: 'Test the URL of Probe' }).click();
    await expect.poll(() => result.textContent()).toMatch(/^Answered in [\d.]+ m?s/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    // Testing saved nothing.
    expect(await gateway.server('web', 'Probe')).toBeUndefined();
  });

  it('does not add or drain anything when the new server’s URL is mistyped', async () => {
    await createSessions(gateway.listenerUrl, '/', 2);
    const dialog = await openReplace('App 1.0');
    await dialog.getByRole('textbox', { name: /name/ }).fill('App 1.1');
    await dialog.getByRole('textbox', { name: /URL/ }).fill(`http://127.0.0.1:${await freePort()}`);
    await dialog.getByRole('button', { name: 'Check and replace' }).click();
    await expect.poll(() => dialog.getByTestId('replace-preflight').textContent()).toContain('The new server does not answer');
    await screenshot(page, 'replace-server-preflight-failed');
    expect(await gateway.server('web', 'App 1.1')).toBeUndefined();
    expect((await gateway.server('web', 'App 1.0'))?.capacity).toBe(100);
    expect(await dialog.getByRole('button', { name: 'Add it anyway' }).isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
  });

  it('adds the new server, shows its checks, and drains the old one only once the new one answers', async () => {
    const dialog = await openReplace('App 1.0');
    await dialog.getByRole('textbox', { name: /name/ }).fill('App 1.1');
    await dialog.getByRole('textbox', { name: /URL/ }).fill(gateway.spareBackendUrl);
    await dialog.getByRole('button', { name: 'Check and replace' }).click();
    await expect.poll(() => dialog.getByTestId('replace-status').textContent()).toContain('App 1.1 answers and takes new users');
    expect(await dialog.getByTestId('replace-checks').textContent()).toMatch(/Answered in/);
    await screenshot(page, 'replace-server-done');
    expect((await gateway.server('web', 'App 1.1'))?.capacity).toBe(100);
    expect((await gateway.server('web', 'App 1.0'))).toMatchObject({ capacity: 0, state: 'draining' });
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => serverRow(page, 'App 1.0').getByTestId('server-notice').textContent()).toContain('Draining');
  });

  it('with a new server that does not answer, keeps the old one until the admin overrides after seeing why', async () => {
    const dialog = await openReplace('CRM 4');
    await dialog.getByRole('textbox', { name: /name/ }).fill('CRM 5');
    await dialog.getByRole('textbox', { name: /URL/ }).fill(`http://127.0.0.1:${await freePort()}`);
    await dialog.getByRole('button', { name: 'Check and replace' }).click();
    await dialog.getByRole('button', { name: 'Add it anyway' }).click();
    await expect.poll(async () => (await gateway.server('crm', 'CRM 5'))?.capacity).toBe(100);
    const status = dialog.getByTestId('replace-status');
    await expect.poll(() => status.textContent()).toContain('CRM 5 does not answer');
    expect(await status.textContent()).toContain('CRM 4 has not been drained');
    // Checks go on while the dialog waits; the old server keeps taking new users all the while.
    await expect.poll(async () => (await dialog.getByTestId('replace-checks').getByRole('listitem').count()) >= 2).toBe(true);
    expect((await gateway.server('crm', 'CRM 4'))?.capacity).toBe(100);
    await screenshot(page, 'replace-server-new-one-failing');

    await dialog.getByRole('button', { name: 'Drain CRM 4 anyway' }).click();
    await expect.poll(async () => (await gateway.server('crm', 'CRM 4'))?.capacity).toBe(0);
    await expect.poll(() => status.textContent()).toContain('CRM 4 is draining although CRM 5 did not answer');
    await dialog.getByRole('button', { name: 'Done' }).click();
  });
});

describe('standby versus safe to stop', () => {
  it('shows a server staged at capacity 0 as standby, and "safe to stop" only after a drain', async () => {
    const staged = serverRow(page, 'Wiki 2');
    expect(await staged.locator('[data-state]').textContent()).toBe('Standby');
    const notice = staged.getByTestId('server-notice');
    expect(await notice.textContent()).toBe('Standby: takes no new sessions until its capacity is raised.');
    expect(await page.getByRole('region', { name: 'Cluster Wiki' }).textContent()).not.toContain('safe to stop');
    expect(await gateway.server('wiki', 'Wiki 2')).toMatchObject({ state: 'drained', standby: true, safeToStop: false });
    await screenshot(page, 'standby-server');

    await serverRow(page, 'Wiki 1').getByRole('button', { name: 'Drain Wiki 1' }).click();
    await expect.poll(() => serverRow(page, 'Wiki 1').getByTestId('server-notice').textContent()).toMatch(/^No sessions left — safe to stop Wiki 1 \(drained at \d\d:\d\d:\d\d GMT\+5:30\)\.$/);
    // The time carries its zone (the browser's, here India's), so nobody mistakes it for the server's.
    expect(await serverRow(page, 'Wiki 1').locator('[data-state]').textContent()).toBe('Drained');
    expect(await notice.textContent()).toContain('Standby');
    await serverRow(page, 'Wiki 1').getByRole('button', { name: 'Restore Wiki 1' }).click();
    await expect.poll(async () => (await gateway.server('wiki', 'Wiki 1'))?.state).toBe('active');
  });
});

/** The computed background colour of an element, read in the page. */
function backgroundOf(locator: Locator): Promise<string> {
  return locator.evaluate((element) => {
    const view = element.ownerDocument.defaultView as unknown as { getComputedStyle(target: unknown): { backgroundColor: string } };
    return view.getComputedStyle(element).backgroundColor;
  });
}

/** A request through the gateway without a cookie: what a new user gets. */
async function newUserStatus(path: string): Promise<number> {
  const response = await fetch(gateway.listenerUrl + path);
  await response.text();
  return response.status;
}

describe('the console says when something is down', () => {
  it('shows a red banner on a cluster with no active server, naming the consequence, and clears it when one is back', async () => {
    const card = page.getByRole('region', { name: 'Cluster Wiki' });
    const banner = card.getByTestId('cluster-down');
    await expect.poll(() => banner.count()).toBe(0);
    await gateway.api('POST', '/api/clusters/wiki/servers/w1/drain');
    await gateway.api('POST', '/api/clusters/wiki/servers/w3/drain');
    await expect.poll(() => banner.textContent()).toContain('Wiki has no active server: new users get an error page (503 Service Unavailable)');
    expect(await banner.textContent()).toContain('Wiki 1 is at capacity 0, Wiki 2 is on standby, Wiki 3 is at capacity 0');
    // A drained server is not shown as a calm, green "safe to stop" while the cluster is down.
    expect(await serverRow(page, 'Wiki 1').getByTestId('server-notice').textContent()).toContain('no server of Wiki is active');
    // What the banner says is what a new user gets.
    expect(await newUserStatus('/wiki')).toBe(503);
    await screenshot(page, 'cluster-down');
    await gateway.api('POST', '/api/clusters/wiki/servers/w1/restore');
    await gateway.api('POST', '/api/clusters/wiki/servers/w3/restore');
    await expect.poll(() => banner.count()).toBe(0);
    expect(await newUserStatus('/wiki')).toBe(200);
  });

  it('dims an offline server and says its users have nowhere to go when no other server is active', async () => {
    // From the override above: CRM 4 drains and CRM 5 never answered, so its health checks take it offline.
    const row = serverRow(page, 'CRM 5');
    await expect.poll(() => row.getAttribute('data-dimmed'), { timeout: 15_000 }).toBe('true');
    expect(await row.getByTestId('server-notice').textContent()).toContain('No other server is active: its users get an error page.');
    expect(await serverRow(page, 'CRM 4').getAttribute('data-dimmed')).toBeNull();
    // Not a green "safe to stop" while it is the cluster's last hope.
    expect(await serverRow(page, 'CRM 4').getByTestId('server-notice').textContent()).toContain('no server of CRM is active');
    expect(await backgroundOf(row)).not.toBe(await backgroundOf(serverRow(page, 'CRM 4')));
    await expect.poll(() => page.getByRole('region', { name: 'Cluster CRM' }).getByTestId('cluster-down').textContent()).toContain('CRM 5 is offline');
    await screenshot(page, 'offline-server-dimmed');
  });

  it('shows a full-width banner while the gateway is paused, with a way to resume', async () => {
    await gateway.api('POST', '/api/pause', { paused: true });
    const banner = page.getByTestId('paused-banner');
    await expect.poll(() => banner.textContent()).toContain('The gateway is paused');
    const width = await banner.evaluate((element) => element.getBoundingClientRect().width);
    expect(width).toBeGreaterThanOrEqual(VIEWPORT.width - 20);
    // It stays in view however far the page is scrolled.
    await page.mouse.wheel(0, 2000);
    await expect.poll(() => banner.evaluate((element) => element.getBoundingClientRect().top)).toBeLessThan(200);
    await screenshot(page, 'gateway-paused', { fullPage: false });
    await banner.getByRole('button', { name: 'Resume gateway' }).click();
    await expect.poll(async () => (await gateway.state()).paused).toBe(false);
    await expect.poll(() => banner.count()).toBe(0);
  });

  it('disables every control while the console cannot reach the gateway, and enables them again after reconnecting', async () => {
    const slider = page.getByRole('slider', { name: 'Capacity of App 1.1' });
    expect(await slider.isEnabled()).toBe(true);
    await gateway.stopGateway();
    await page.getByTestId('reconnecting').waitFor({ timeout: 10_000 });
    expect(await slider.isDisabled()).toBe(true);
    expect(await page.getByRole('switch', { name: 'App 1.1 enabled' }).isDisabled()).toBe(true);
    expect(await serverRow(page, 'App 1.1').getByRole('button', { name: 'Drain App 1.1' }).isDisabled()).toBe(true);
    const header = page.getByRole('banner');
    for (const name of ['Pause gateway', 'Settings', 'Add cluster']) expect(await header.getByRole('button', { name }).isDisabled()).toBe(true);
    await screenshot(page, 'disconnected-controls-disabled', { fullPage: false });
    await gateway.startGatewayAgain();
    await page.getByTestId('reconnecting').waitFor({ state: 'detached', timeout: 15_000 });
    expect(await slider.isEnabled()).toBe(true);
    expect(await header.getByRole('button', { name: 'Settings' }).isEnabled()).toBe(true);
  });
});

describe('actions that would leave users without a server ask first', () => {
  const NO_NEW_USERS = 'No server of Payroll would take new users: new visitors get an error page (503 Service Unavailable).';

  async function answer(button: 'Cancel' | string) {
    const question = page.getByRole('alertdialog');
    await question.waitFor();
    const consequence = await question.getByTestId('confirm-consequence').textContent();
    await question.getByRole('button', { name: button, exact: true }).click();
    await expect.poll(() => question.count()).toBe(0);
    return consequence;
  }

  it('asks before draining the last active server; Cancel changes nothing', async () => {
    const row = serverRow(page, 'Payroll 7');
    await row.getByRole('button', { name: 'Drain Payroll 7' }).click();
    await page.getByRole('alertdialog').waitFor();
    await screenshot(page, 'confirm-drain-last-server', { fullPage: false });
    expect(await answer('Cancel')).toBe(`${NO_NEW_USERS} Users with a session on Payroll 7 keep working until it ends.`);
    await page.waitForTimeout(500);
    expect((await gateway.server('solo', 'Payroll 7'))?.capacity).toBe(100);

    await row.getByRole('button', { name: 'Drain Payroll 7' }).click();
    await answer('Drain Payroll 7');
    await expect.poll(async () => (await gateway.server('solo', 'Payroll 7'))?.capacity).toBe(0);
    // Putting it back never asks.
    await row.getByRole('button', { name: 'Restore Payroll 7' }).click();
    await expect.poll(() => row.locator('[data-state]').getAttribute('data-state')).toBe('active');
  });

  it('asks before switching off the last active server, and the switch stays on when cancelled', async () => {
    const power = page.getByRole('switch', { name: 'Payroll 7 enabled' });
    await power.click();
    expect(await answer('Cancel')).toBe(NO_NEW_USERS);
    await expect.poll(() => power.isChecked()).toBe(true);
    expect((await gateway.server('solo', 'Payroll 7'))?.enabled).toBe(true);
  });

  it('asks before the slider takes the last active server to 0, and puts the slider back when cancelled', async () => {
    const slider = page.getByRole('slider', { name: 'Capacity of Payroll 7' });
    await slider.focus();
    await page.keyboard.press('Home');
    expect(await answer('Cancel')).toContain(NO_NEW_USERS);
    await expect.poll(() => slider.inputValue()).toBe('100');
    expect((await gateway.server('solo', 'Payroll 7'))?.capacity).toBe(100);
  });

  it('asks before pausing the gateway, saying every user is refused', async () => {
    const header = page.getByRole('banner');
    await header.getByRole('button', { name: 'Pause gateway' }).click();
    expect(await answer('Cancel')).toContain('every user, with or without a session, gets "connection refused"');
    expect((await gateway.state()).paused).toBe(false);
    await header.getByRole('button', { name: 'Pause gateway' }).click();
    await answer('Pause gateway');
    await expect.poll(async () => (await gateway.state()).paused).toBe(true);
    // Resuming never asks.
    await header.getByRole('button', { name: 'Resume gateway' }).click();
    await expect.poll(async () => (await gateway.state()).paused).toBe(false);
  });

  it('says in the remove dialog when the server is the cluster’s last active one', async () => {
    await page.getByRole('button', { name: 'More actions for Payroll 7' }).click();
    await page.getByRole('menuitem', { name: 'Remove server…' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByTestId('confirm-consequence').textContent()).toContain(`Payroll 7 is the last active server of Payroll. ${NO_NEW_USERS}`);
    await screenshot(page, 'confirm-remove-last-server', { fullPage: false });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
  });

  it('asks inside the settings dialog before switching off a whole cluster', async () => {
    await page.getByRole('button', { name: 'More actions for cluster Payroll' }).click();
    await page.getByRole('menuitem', { name: 'Cluster settings…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('switch', { name: 'Enabled' }).click();
    await dialog.getByRole('button', { name: 'Save' }).click();
    const consequence = dialog.getByTestId('confirm-consequence');
    await expect.poll(() => consequence.textContent()).toContain('Every request routed to Payroll, from current users and new ones alike, gets an error page');
    await screenshot(page, 'confirm-switch-off-cluster', { fullPage: false });
    expect((await gateway.state()).clusters.find((c) => c.id === 'solo')?.enabled).toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect((await gateway.state()).clusters.find((c) => c.id === 'solo')?.enabled).toBe(true);
  });

  it('asks inside the edit dialog before the last active server gets capacity 0, and goes ahead on the second press', async () => {
    await page.getByRole('button', { name: 'More actions for Payroll 7' }).click();
    await page.getByRole('menuitem', { name: 'Edit server…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('spinbutton', { name: /Capacity/ }).fill('0');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.getByTestId('confirm-consequence').textContent()).toContain(NO_NEW_USERS);
    expect((await gateway.server('solo', 'Payroll 7'))?.capacity).toBe(100);
    await dialog.getByRole('button', { name: 'Set capacity to 0' }).click();
    await expect.poll(async () => (await gateway.server('solo', 'Payroll 7'))?.capacity).toBe(0);
    await expect.poll(() => dialog.count()).toBe(0);
  });
});

describe('the session list', () => {
  it('shows ids, sorts, filters, exports CSV, and ends sessions after confirming so a drain finishes early', async () => {
    const before = (await gateway.server('web', 'App 1.0'))!;
    expect(before).toMatchObject({ state: 'draining', sessions: 2 });
    const listed = (await gateway.api<{ sessions: { id: string; client: string; requests: number }[] }>('GET', '/api/clusters/web/servers/v1/sessions')).body.sessions;
    await serverRow(page, 'App 1.0').getByRole('button', { name: 'Live sessions of App 1.0' }).click();
    const table = page.getByRole('table', { name: 'Live sessions of App 1.0' });
    const rows = table.getByRole('row');
    await expect.poll(() => rows.count()).toBe(3);
    // Ids in plain sight, not in a tooltip.
    const shownIds = await table.getByRole('row').locator('[role=cell]:first-child').allTextContents();
    expect(shownIds.sort()).toEqual(listed.map((s) => s.id).sort());

    const sessionHeader = table.getByRole('columnheader', { name: /Session/ });
    await sessionHeader.getByRole('button').click();
    expect(await sessionHeader.getAttribute('aria-sort')).toBe('ascending');
    const ascending = await table.getByRole('row').locator('[role=cell]:first-child').allTextContents();
    expect(ascending).toEqual([...ascending].sort((a, b) => a.localeCompare(b)));
    await sessionHeader.getByRole('button').click();
    expect(await sessionHeader.getAttribute('aria-sort')).toBe('descending');
    const descending = await table.getByRole('row').locator('[role=cell]:first-child').allTextContents();
    expect(descending).toEqual([...ascending].reverse());

    const target = listed[0]!;
    await page.getByRole('textbox', { name: 'Filter sessions by client address or session id' }).fill(target.id);
    await expect.poll(() => rows.count()).toBe(2);
    expect(await page.getByTestId('session-filtered').textContent()).toBe('1 of 2 match');
    await screenshot(page, 'sessions-filtered', { fullPage: false });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^sessions-web-v1-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8').trim().split('\r\n');
    expect(csv[0]).toBe('session,client,created (UTC),last seen (UTC),expires (UTC),requests');
    expect(csv).toHaveLength(2);
    expect(csv[1]).toMatch(new RegExp(`^${target.id},${target.client.replace(/\./g, '\\.')},\\d{4}-.+Z,.+Z,.+Z,${target.requests}$`));

    await table.getByRole('button', { name: `End session ${target.id}` }).click();
    const question = page.getByTestId('end-session-confirm');
    expect(await question.textContent()).toContain(`End session ${target.id} of ${target.client}?`);
    await screenshot(page, 'sessions-end-confirm', { fullPage: false });
    await question.getByRole('button', { name: 'Keep it' }).click();
    expect((await gateway.server('web', 'App 1.0'))?.sessions).toBe(2);

    await table.getByRole('button', { name: `End session ${target.id}` }).click();
    await question.getByRole('button', { name: 'End session' }).click();
    await expect.poll(async () => (await gateway.server('web', 'App 1.0'))?.sessions).toBe(1);
    await page.getByRole('textbox', { name: 'Filter sessions by client address or session id' }).fill('');
    await expect.poll(() => rows.count()).toBe(2);
    await table.getByRole('button', { name: /^End session / }).click();
    await question.getByRole('button', { name: 'End session' }).click();
    await expect.poll(async () => (await gateway.server('web', 'App 1.0'))?.state).toBe('drained');
    expect((await gateway.server('web', 'App 1.0'))?.safeToStop).toBe(true);
    await page.getByRole('button', { name: 'Close' }).click();
  });
});

describe('configuration file export and import', () => {
  it('downloads the configuration without the token, refuses a bad upload changing nothing, and applies a good one', async () => {
    await page.getByRole('banner').getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Gateway settings' });
    await dialog.getByRole('tab', { name: 'Configuration file' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Export configuration' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^switchboard-config-\d{4}-\d{2}-\d{2}\.json$/);
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    const current = (await gateway.api<Record<string, any>>('GET', '/api/config')).body;
    expect(exported.admin.token).toBeUndefined();
    expect(exported.clusters).toEqual(current.clusters);
    expect(exported.routes).toEqual(current.routes);

    const result = dialog.getByTestId('config-import-result');
    const broken = structuredClone(exported);
    broken.clusters[0].servers[0].url = 'ftp://nowhere';
    broken.routes.push({ host: '*', path: '/lost', cluster: 'missing' });
    await dialog.getByTestId('config-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(broken)) });
    await expect.poll(() => result.textContent()).toContain('broken.json was not imported; nothing was changed.');
    expect(await result.textContent()).toContain('clusters[0].servers[0].url must be an http:// or https:// URL');
    await screenshot(page, 'config-import-refused', { fullPage: false });
    expect((await gateway.api('GET', '/api/config')).body).toEqual(current);

    await dialog.getByTestId('config-file').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"clusters": [') });
    await expect.poll(() => result.textContent()).toContain('notes.json is not valid JSON');

    const renamed = structuredClone(exported);
    renamed.clusters[0].name = 'Intranet (imported)';
    await dialog.getByTestId('config-file').setInputFiles({ name: 'good.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(renamed)) });
    await expect.poll(() => result.textContent()).toContain('good.json is now the configuration');
    expect((await gateway.api<Record<string, any>>('GET', '/api/config')).body.clusters[0].name).toBe('Intranet (imported)');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('region', { name: 'Cluster Intranet (imported)' }).waitFor();
  });
});

describe('routes editor', () => {
  it('adds a route, showing the API’s issue next to the field it names, then saves it', async () => {
    await page.getByRole('banner').getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Gateway settings' });
    await dialog.getByRole('tab', { name: 'Routes' }).click();
    const before = (await gateway.api<{ routes: unknown[] }>('GET', '/api/config')).body.routes;
    await dialog.getByRole('button', { name: 'Add route' }).click();
    const added = dialog.getByRole('group', { name: `Route ${before.length + 1}` });
    await added.getByRole('textbox', { name: 'Host' }).fill('wiki corp');
    await added.getByRole('textbox', { name: 'Path', exact: true }).fill('docs');
    await added.getByRole('combobox', { name: 'Cluster' }).selectOption('wiki');
    await dialog.getByRole('button', { name: 'Save routes' }).click();
    const hostField = added.locator('.fui-Field', { has: page.getByRole('textbox', { name: 'Host' }) });
    const pathField = added.locator('.fui-Field', { has: page.getByRole('textbox', { name: 'Path', exact: true }) });
    await expect.poll(() => hostField.textContent()).toContain('Must be a host name, *.domain or *');
    expect(await pathField.textContent()).toContain('Must start with "/"');
    expect(await added.getByRole('textbox', { name: 'Host' }).getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'routes-editor-invalid', { fullPage: false });
    expect((await gateway.api<{ routes: unknown[] }>('GET', '/api/config')).body.routes).toEqual(before);

    await added.getByRole('textbox', { name: 'Host' }).fill('wiki.corp.local');
    await added.getByRole('textbox', { name: 'Path', exact: true }).fill('/docs');
    await added.getByRole('combobox', { name: 'Who may use it' }).selectOption('allow');
    await added.getByRole('textbox', { name: `Addresses for route ${before.length + 1}` }).fill('127.0.0.1, 10.0.0.0/8');
    await dialog.getByRole('button', { name: 'Save routes' }).click();
    await expect
      .poll(async () => (await gateway.api<{ routes: unknown[] }>('GET', '/api/config')).body.routes.at(-1))
      .toEqual({ host: 'wiki.corp.local', path: '/docs', cluster: 'wiki', access: { mode: 'allow', addresses: ['127.0.0.1', '10.0.0.0/8'], action: '403' } });
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  it('maps a route to another backend path, showing the API’s issue under it, and keeps what it does not show', async () => {
    type Routes = { routes: Record<string, unknown>[] };
    const { routes } = (await gateway.api<Routes>('GET', '/api/config')).body;
    // A field the editor has no input for must survive a save from it.
    expect((await gateway.api('PUT', '/api/routes', [...routes.slice(0, -1), { ...routes.at(-1), requestTimeoutSec: 900 }])).status).toBe(200);
    const before = (await gateway.api<Routes>('GET', '/api/config')).body.routes;

    await page.getByRole('banner').getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Gateway settings' });
    await dialog.getByRole('tab', { name: 'Routes' }).click();
    const route = dialog.getByRole('group', { name: `Route ${before.length}` });
    const backendPath = route.getByRole('textbox', { name: 'Backend path' });
    expect(await backendPath.inputValue()).toBe('');
    await backendPath.fill('CrmWeb');
    await dialog.getByRole('button', { name: 'Save routes' }).click();
    const backendField = route.locator('.fui-Field', { has: page.getByRole('textbox', { name: 'Backend path' }) });
    const pathField = route.locator('.fui-Field', { has: page.getByRole('textbox', { name: 'Path', exact: true }) });
    await expect.poll(() => backendField.textContent()).toContain('Must start with "/"');
    expect(await backendPath.getAttribute('aria-invalid')).toBe('true');
    expect(await pathField.textContent()).toContain('Must end with "/" when backendPath is set');
    await screenshot(page, 'routes-editor-backend-path-invalid', { fullPage: false });
    expect((await gateway.api<Routes>('GET', '/api/config')).body.routes).toEqual(before);

    await route.getByRole('textbox', { name: 'Path', exact: true }).fill('/docs/');
    await backendPath.fill('/wiki/');
    await dialog.getByRole('button', { name: 'Save routes' }).click();
    await expect
      .poll(async () => (await gateway.api<Routes>('GET', '/api/config')).body.routes.at(-1))
      .toEqual({ ...before.at(-1), path: '/docs/', backendPath: '/wiki/', requestTimeoutSec: 900 });
    await dialog.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('banner').getByRole('button', { name: 'Settings' }).click();
    await dialog.getByRole('tab', { name: 'Routes' }).click();
    expect(await route.getByRole('textbox', { name: 'Backend path' }).inputValue()).toBe('/wiki/');
    await dialog.getByRole('button', { name: 'Close' }).click();
  });
});
