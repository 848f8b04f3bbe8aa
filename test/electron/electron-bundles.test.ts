/**
 * What `npm run build:electron` produces fits where it runs: the preload is one CommonJS file
 * that requires nothing but `electron` (a sandboxed preload can load nothing else), and the main
 * bundle is an ES module whose imports are Node built-ins, Electron and the app's dependencies.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, buildElectronBundles } from '../../build/build-electron.js';

const outdir = mkdtempSync(join(tmpdir(), 'switchboard-bundles-'));

beforeAll(() => buildElectronBundles(outdir, 'silent'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('electron bundles', () => {
  it('builds a self-contained CommonJS preload', () => {
    const preload = readFileSync(join(outdir, 'preload.cjs'), 'utf8');
    expect([...preload.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1])).toEqual(['electron']);
    expect(preload).not.toMatch(/^\s*(import|export)\s/m);
    expect(preload).toContain('exposeInMainWorld("switchboard"');
  });

  it('builds an ES-module main process that imports only what the packaged app has', () => {
    const main = readFileSync(join(outdir, 'main.js'), 'utf8');
    const imported = new Set([...main.matchAll(/^import .* from "([^"]+)";$/gm)].map((match) => match[1]!));
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const allowed = (specifier: string) =>
      specifier === 'electron' ||
      specifier.startsWith('node:') ||
      builtinModules.includes(specifier) ||
      Object.keys(pkg.dependencies).some((dependency) => specifier === dependency || specifier.startsWith(`${dependency}/`));
    expect(imported.size).toBeGreaterThan(0);
    expect([...imported].filter((specifier) => !allowed(specifier))).toEqual([]);
    expect(imported.has('electron')).toBe(true);
    expect(imported.has('electron-store')).toBe(true);
  });
});
