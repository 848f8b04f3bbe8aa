/**
 * The desktop shell passes Electronegativity with no HIGH or MEDIUM finding: the Electron sources
 * together with the built dashboard page (when `npm test` has built it), as they ship. A
 * deliberately unsafe window shows that the scan does catch problems.
 */
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isBlocking, scanForElectronSecurityIssues } from '../../build/security-scan.js';

const root = join(import.meta.dirname, '..', '..');
const staging = mkdtempSync(join(tmpdir(), 'switchboard-electronegativity-'));

afterAll(() => rmSync(staging, { recursive: true, force: true }));

describe('Electronegativity', () => {
  it('finds no HIGH or MEDIUM issue in the desktop shell', { timeout: 120_000 }, async () => {
    const app = join(staging, 'app');
    cpSync(join(root, 'electron'), join(app, 'electron'), { recursive: true });
    const renderer = join(root, 'dist', 'renderer');
    if (existsSync(renderer)) cpSync(renderer, join(app, 'dist', 'renderer'), { recursive: true });

    const findings = await scanForElectronSecurityIssues(app);
    expect(findings.filter(isBlocking)).toEqual([]);
  });

  it('reports an unsafe window as blocking', { timeout: 120_000 }, async () => {
    const unsafe = join(staging, 'unsafe');
    cpSync(join(root, 'electron'), unsafe, { recursive: true });
    writeFileSync(
      join(unsafe, 'unsafe-window.js'),
      [
        "const { BrowserWindow } = require('electron');",
        'const window = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, webSecurity: false } });',
        "window.loadURL('http://example.com/');",
      ].join('\n'),
    );
    const blocking = (await scanForElectronSecurityIssues(unsafe)).filter(isBlocking).map((finding) => finding.check);
    expect(blocking).toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK', 'HTTP_RESOURCES_JS_CHECK']));
  });
});
