/** Debian's Chromium, headless, driven by playwright-core; screenshots go to test-results/screenshots. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT, type RunningGateway } from './gateway-process.js';

const CHROMIUM_PATH = process.env.SWITCHBOARD_CHROMIUM ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RESULTS_DIR = join(REPO_ROOT, 'test-results');
const SCREENSHOT_DIR = join(RESULTS_DIR, 'screenshots');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // Dialogs and drawers slide in; the picture should show where they come to rest.
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: options.fullPage ?? true, animations: 'disabled' });
}

/** The gateway's own output, kept next to the screenshots for when a test fails. */
export function saveGatewayLog(name: string, gateway: RunningGateway | undefined): void {
  if (!gateway) return;
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${name}-gateway.log`), gateway.output());
}

/** The dashboard's row of the server with that name. */
export function serverRow(page: Page, name: string) {
  return page.getByRole('group', { name: `Server ${name}`, exact: true });
}
