/**
 * electron-builder accepts our packaging configuration: the same loading and schema validation it
 * runs before any download or build step, called directly (app-builder-lib's getConfig and
 * validateConfiguration), plus the settings the installer must have.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pngSize } from '../../electron/icons/png-encoder.js';
import { SERVICE_DISPLAY_NAME, SERVICE_ID, SERVICE_MARKER_FILE } from '../../electron/service/service-layout.js';
import { WRAPPER_NAME } from '../../build/build-service.js';

const root = join(import.meta.dirname, '..', '..');
const configPath = join(root, 'build', 'electron-builder.yml');
const require = createRequire(import.meta.url);

type BuilderConfig = Record<string, unknown> & {
  nsis?: Record<string, unknown>;
  win?: Record<string, unknown>;
  files?: { filter: string[] }[];
  extraResources?: unknown;
  electronFuses?: Record<string, boolean>;
};
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, debugLogger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

async function validate(config: BuilderConfig): Promise<void> {
  await validateConfiguration(config, new DebugLogger(false));
}

describe('electron-builder configuration', () => {
  it('is accepted by electron-builder', async () => {
    const config = await getConfig(root, configPath, null);
    await expect(validate(config)).resolves.toBeUndefined();
  });

  it('is rejected when it has an unknown or mistyped option', async () => {
    const config = await getConfig(root, configPath, null);
    await expect(validate({ ...config, nsis: { ...config.nsis, perMachin: true } })).rejects.toThrow(/Invalid configuration object[\s\S]*configuration\.nsis/);
    await expect(validate({ ...config, nsis: { ...config.nsis, oneClick: 'no' } })).rejects.toThrow(/Invalid configuration object[\s\S]*configuration\.nsis/);
    await expect(validate({ ...config, windows: { target: 'nsis' } })).rejects.toThrow(/Invalid configuration object[\s\S]*windows/);
  });

  it('builds a per-machine x64 NSIS installer with a directory choice and a Start-menu entry', async () => {
    const config = await getConfig(root, configPath, null);
    expect(config.win?.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.nsis).toMatchObject({
      oneClick: false,
      perMachine: true,
      allowToChangeInstallationDirectory: true,
      createStartMenuShortcut: true,
      include: 'build/installer.nsh',
    });
    expect(existsSync(join(root, config.nsis!.include as string))).toBe(true);
    const ico = readFileSync(join(root, config.win!.icon as string));
    expect(ico.readUInt16LE(2)).toBe(1);
    expect(pngSize(readFileSync(join(root, 'build', 'icon.png')))).toEqual({ width: 256, height: 256 });
  });

  it('packs the files package.json "main" and the window need', async () => {
    const config = await getConfig(root, configPath, null);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string> };
    expect(pkg.main).toBe('dist-electron/electron/main.js');
    expect(config.files?.[0]?.filter).toEqual(expect.arrayContaining(['package.json', 'dist-electron/**/*', 'dist/renderer/**/*']));
    expect(pkg.scripts.dist).toContain('electron-builder --config build/electron-builder.yml --win --x64');
  });

  it('gives the installer a start-at-login choice that goes through the app', () => {
    const script = readFileSync(join(root, 'build', 'installer.nsh'), 'utf8');
    expect(script).toContain('!macro customFinishPage');
    expect(script).toContain('--enable-start-at-login');
    expect(script).toContain('DeleteRegValue HKCU "Software\\Microsoft\\Windows\\CurrentVersion\\Run" "Switchboard"');
  });

  it('packs the Windows service outside app.asar, where node.exe and WinSW can read it', async () => {
    const config = await getConfig(root, configPath, null);
    expect(config.extraResources).toEqual([{ from: 'dist-service', to: 'service' }]);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.dist).toMatch(/npm run build:service && electron-builder/);
    expect(pkg.scripts['build:service']).toBe('tsx build/build-service.ts');
  });

  it('offers the Windows service in the installer, with the names the app and the definition use', () => {
    const script = readFileSync(join(root, 'build', 'installer.nsh'), 'utf8');
    expect(script).toContain('!macro customPageAfterChangeDir');
    expect(script).toContain('"Run the gateway as a Windows service (keeps serving when nobody is signed in)"');
    expect(script).toContain(`!define SWITCHBOARD_SERVICE_ID "${SERVICE_ID}"`);
    expect(script).toContain(`!define SWITCHBOARD_SERVICE_WRAPPER "$INSTDIR\\resources\\service\\${WRAPPER_NAME}.exe"`);
    expect(script).toContain(`!define SWITCHBOARD_SERVICE_MARKER "${SERVICE_MARKER_FILE}"`);
    expect(SERVICE_DISPLAY_NAME).toBe('Switchboard Gateway');
    // On by default; /NOSERVICE for a silent install without it.
    expect(script).toMatch(/StrCpy \$ServiceOption 1\n/);
    expect(script).toContain('${GetOptions} $R0 "/NOSERVICE" $R1');
    // The data folder: Administrators and SYSTEM (well-known SIDs), inheritance removed.
    expect(script).toContain("icacls \"$ServiceData\" /inheritance:r /grant:r ${SID_ADMINISTRATORS}:(OI)(CI)F ${SID_SYSTEM}:(OI)(CI)F");
    expect(script).toContain('!define SID_ADMINISTRATORS "*S-1-5-32-544"');
    expect(script).toContain('!define SID_SYSTEM "*S-1-5-18"');
  });

  it('keeps the service and its data on upgrade, and the data on uninstall unless asked', () => {
    const script = readFileSync(join(root, 'build', 'installer.nsh'), 'utf8');
    const uninstall = script.slice(script.indexOf('!macro customUnInstall'), script.indexOf('!macroend', script.indexOf('!macro customUnInstall')));
    const [updated, removed] = uninstall.split('${else}');
    expect(updated).toContain('${if} ${isUpdated}');
    expect(updated).toContain('" stop\'');
    expect(updated).not.toMatch(/uninstall'|RMDir/);
    expect(removed).toContain('!insertmacro stopAndRemoveService');
    expect(removed).toMatch(/\$\{if\} \$RemoveSettings == 1\s+RMDir \/r "\$ServiceData"/);
    expect(script).toContain('"Also remove the service\'s settings, sessions and logs"');
    expect(script).toContain('${GetOptions} $R0 "/REMOVESETTINGS" $R1');
  });

  it('gives Linux a systemd unit that restarts on failure and waits out the graceful stop', () => {
    const unit = readFileSync(join(root, 'docs', 'switchboard.service'), 'utf8').split('\n');
    expect(unit).toEqual(
      expect.arrayContaining([
        'Restart=on-failure',
        'KillSignal=SIGTERM',
        'TimeoutStopSec=15',
        'ExecStart=/usr/bin/node /opt/switchboard/headless.mjs --config /var/lib/switchboard/switchboard.json --dashboard /opt/switchboard/dashboard',
        'UMask=0077',
      ]),
    );
  });

  it('sets every Electron fuse deliberately: no RunAsNode, no NODE_OPTIONS or inspect, ASAR checked and required, cookies encrypted', async () => {
    const config = await getConfig(root, configPath, null);
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: true,
      loadBrowserProcessSpecificV8Snapshot: false,
    });
    expect(config.asar).toBe(true);
    // The service does not need RunAsNode: it runs the bundled node.exe, not Electron.
    expect(readFileSync(join(root, 'build', 'winsw-service.ts'), 'utf8')).toContain("nodeExe: '%BASE%\\\\node.exe'");
    await expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsNod: false } })).rejects.toThrow(/Invalid configuration object/);
  });

  it('proves the installer on the Windows runner before anything is uploaded', () => {
    const workflow = readFileSync(join(root, '.github', 'workflows', 'release.yml'), 'utf8');
    const steps = [
      'node-version: 22',
      'run: npm run dist',
      'run-smoke.ts --app release/win-unpacked/Switchboard.exe',
      "-ArgumentList '/S' -Wait -PassThru",
      'Get-Service -Name SwitchboardGateway',
      "Invoke-RestMethod -Uri $url",
      'run-smoke.ts --app "$env:ProgramFiles\\Switchboard\\Switchboard.exe"',
      "-ArgumentList '/S', '/REMOVESETTINGS'",
      'uses: softprops/action-gh-release',
    ].map((step) => [step, workflow.indexOf(step)] as const);
    for (const [step, index] of steps) expect(index, step).toBeGreaterThan(0);
    expect(steps.map(([, index]) => index)).toEqual([...steps.map(([, index]) => index)].sort((a, b) => a - b));
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.smoke).toContain('tsx build/run-smoke.ts');
    expect(pkg.scripts.test).not.toContain('smoke');
  });
});

