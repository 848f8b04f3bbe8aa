/**
 * axe-core in real Chromium on every screen and dialog of the console, light and dark, against a
 * real gateway: no serious or critical WCAG 2.2 AA violation anywhere.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, saveGatewayLog, screenshot } from './browser.js';
import { REPO_ROOT, createSessions, startGateway, type RunningGateway } from './gateway-process.js';

const AXE_SOURCE = readFileSync(join(REPO_ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const VIEWPORT = { width: 1366, height: 860 };
const ACTION_TIMEOUT_MS = 8000;

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

let gateway: RunningGateway;
let browser: Browser;
/** Per screen and scheme, the serious and critical violations found, for the report. */
const results: string[] = [];

async function seriousViolations(page: Page, screen: string, scheme: string): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const { violations: found, passes, incomplete } = (await page.evaluate(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }).then((r) => ({
      violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })),
      passes: r.passes.length,
      incomplete: r.incomplete.map((v) => v.id + ' ×' + v.nodes.length),
    }))`,
  )) as { violations: Violation[]; passes: number; incomplete: string[] };
  // axe really looked: a page it could not read would pass no rule at all.
  expect(passes).toBeGreaterThan(5);
  const serious = found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
  const minor = found.length - serious.length;
  results.push(
    `${scheme} ${screen}: ${serious.length} serious/critical, ${minor} minor/moderate, ${passes} rules passed` +
      (incomplete.length > 0 ? `; needs review: ${incomplete.join(', ')}` : ''),
  );
  return serious;
}

beforeAll(async () => {
  [gateway, browser] = await Promise.all([
    startGateway([
      { id: 'web', name: 'Intranet', path: '/', servers: [{ id: 'v1', name: 'App 1.0' }, { id: 'v2', name: 'App 1.1', capacity: 0 }] },
      { id: 'crm', name: 'CRM', path: '/crm', servers: [{ id: 'c1', name: 'CRM 4', capacity: 0 }] },
    ]),
    launchChromium(),
  ]);
  await createSessions(gateway.listenerUrl, '/', 3);
});

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  saveGatewayLog('accessibility', gateway);
  console.log(`axe results:\n${results.join('\n')}`);
});

describe.each(['light', 'dark'] as const)('accessibility in %s mode', (scheme) => {
  let page: Page;

  beforeAll(async () => {
    const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: scheme });
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    page = await context.newPage();
  });

  async function check(screen: string) {
    // Dialogs and drawers animate in; axe must see them where they come to rest.
    await page.waitForTimeout(400);
    await screenshot(page, `axe-${scheme}-${screen}`, { fullPage: false });
    expect(await seriousViolations(page, screen, scheme)).toEqual([]);
  }

  it('sign-in page', async () => {
    await page.goto(gateway.adminUrl);
    await page.getByLabel('Access token').waitFor();
    await check('sign-in');
  });

  it('dashboard', async () => {
    await page.goto(gateway.consoleUrl);
    await page.getByRole('slider', { name: 'Capacity of App 1.0' }).waitFor();
    await check('dashboard');
  });

  it('the health dot is named but not a tab stop, and each row announces its state, not a countdown', async () => {
    const row = page.getByRole('group', { name: 'Server App 1.0', exact: true });
    const dot = row.locator('[data-health]');
    expect(await dot.getAttribute('tabindex')).toBeNull();
    expect(await dot.getAttribute('aria-label')).toMatch(/^Health of App 1\.0: responding/);
    // One live region per row, holding only the state; the draining notice with its countdown is not one.
    const live = row.getByRole('status');
    expect(await live.count()).toBe(1);
    expect(await live.textContent()).toBe('App 1.0: active');
    const standby = page.getByRole('group', { name: 'Server App 1.1', exact: true }).getByRole('status');
    expect(await standby.textContent()).toBe('App 1.1: standby, takes no new sessions');
  });

  it('returns the focus to the control that opened a dialog, and focuses the first invalid field after a refused submit', async () => {
    const focusedName = () => page.evaluate('document.activeElement?.getAttribute("aria-label") || document.activeElement?.textContent');
    const addServer = page.getByRole('region', { name: 'Cluster Intranet' }).getByRole('button', { name: 'Add server' });
    await addServer.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: /^Name/ }).fill('App 2');
    await dialog.getByRole('textbox', { name: /^URL/ }).fill('ftp://10.0.0.5/');
    await dialog.getByRole('button', { name: 'Add server' }).click();
    await expect.poll(() => page.evaluate('document.activeElement?.getAttribute("aria-invalid")')).toBe('true');
    expect(await page.evaluate('document.activeElement?.value')).toBe('ftp://10.0.0.5/');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(focusedName).toBe('Add server');

    await page.getByRole('button', { name: 'More actions for App 1.0' }).click();
    await page.getByRole('menuitem', { name: 'Edit server…' }).click();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(focusedName).toBe('More actions for App 1.0');

    // The column titles are read out, not hidden.
    expect(await page.getByTestId('column-titles').first().getAttribute('aria-hidden')).toBeNull();
  });

  it('server dialogs', async () => {
    await page.getByRole('region', { name: 'Cluster Intranet' }).getByRole('button', { name: 'Add server' }).click();
    await page.getByRole('dialog').waitFor();
    await check('add-server');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'More actions for App 1.0' }).click();
    await page.getByRole('menuitem', { name: 'Replace with a new version…' }).click();
    await page.getByRole('dialog').waitFor();
    await check('replace-server');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'More actions for App 1.0' }).click();
    await page.getByRole('menuitem', { name: 'Remove server…' }).click();
    await page.getByRole('dialog').waitFor();
    await check('remove-server');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'More actions for cluster Intranet' }).click();
    await page.getByRole('menuitem', { name: 'Cluster settings…' }).click();
    await page.getByRole('dialog').waitFor();
    await check('cluster-settings');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  });

  it('confirmation before draining the last active server', async () => {
    await page.getByRole('button', { name: 'Drain App 1.0' }).click();
    await page.getByRole('alertdialog').waitFor();
    await check('confirm-drain');
    await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click();
  });

  it('session list', async () => {
    await page.getByRole('button', { name: 'Live sessions of App 1.0' }).click();
    await page.getByRole('table', { name: 'Live sessions of App 1.0' }).getByRole('row').nth(1).waitFor();
    await check('sessions');
    await page.getByRole('button', { name: 'Close' }).click();
  });

  it('settings tabs', async () => {
    await page.getByRole('banner').getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Gateway settings' });
    await dialog.waitFor();
    for (const tab of ['Listeners', 'Routes', 'Access', 'Logs', 'Configuration file']) {
      await dialog.getByRole('tab', { name: tab }).click();
      await check(`settings-${tab.toLowerCase().replace(/ /g, '-')}`);
    }
    await dialog.getByRole('button', { name: 'Close' }).click();
  });
});
