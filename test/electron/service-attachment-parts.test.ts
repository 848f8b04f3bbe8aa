/**
 * The pieces of attach mode that need no gateway: the SSE parser, finding the installed service
 * and its admin endpoint, and the elevated command lines of Start/Stop service.
 */
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { consoleUrlOf, findServiceInstallation, readServiceEndpoint } from '../../electron/service/service-installation.js';
import { SERVICE_DIR_ENV, SERVICE_MARKER_FILE, serviceDataDir } from '../../electron/service/service-layout.js';
import { controlService, elevatedServiceCommand, type CommandLine } from '../../electron/service/service-control.js';
import { SseParser, type SseMessage } from '../../electron/sse-parser.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'switchboard-service-'));
  folders.push(folder);
  return folder;
}

describe('SSE parser', () => {
  it('delivers events split across chunks anywhere, skipping comments and joining data lines', () => {
    const messages: SseMessage[] = [];
    const parser = new SseParser((message) => messages.push(message));
    const stream = ': connected\n\nevent: drained\ndata: {"a":1}\n\n: heartbeat\n\nevent: config\r\ndata: line one\r\ndata: line two\r\n\r\ndata: plain\n\n';
    for (let i = 0; i < stream.length; i += 3) parser.push(stream.slice(i, i + 3));
    expect(messages).toEqual([
      { event: 'drained', data: '{"a":1}' },
      { event: 'config', data: 'line one\nline two' },
      { event: 'message', data: 'plain' },
    ]);
  });

  it('holds back an event until its blank line arrives', () => {
    const messages: SseMessage[] = [];
    const parser = new SseParser((message) => messages.push(message));
    parser.push('event: stats\ndata: {}\n');
    expect(messages).toEqual([]);
    parser.push('\n');
    expect(messages).toEqual([{ event: 'stats', data: '{}' }]);
  });
});

describe('finding the Windows service', () => {
  it('looks under %ProgramData% on Windows only, unless told where', () => {
    expect(serviceDataDir({ ProgramData: 'D:\\Data' }, 'win32')).toBe(join('D:\\Data', 'Switchboard'));
    expect(serviceDataDir({}, 'linux')).toBeNull();
    expect(serviceDataDir({ [SERVICE_DIR_ENV]: '/srv/switchboard' }, 'linux')).toBe('/srv/switchboard');
  });

  it('counts the service as installed only while the installer marker exists', () => {
    const folder = tempFolder();
    expect(findServiceInstallation(folder)).toBeNull();
    expect(findServiceInstallation(null)).toBeNull();
    writeFileSync(join(folder, SERVICE_MARKER_FILE), 'SwitchboardGateway\r\n');
    expect(findServiceInstallation(folder)).toEqual({ dataDir: folder, configPath: join(folder, 'switchboard.json') });
  });

  it('reads the admin address and token, with defaults, a BOM and a wildcard host', () => {
    const folder = tempFolder();
    const configPath = join(folder, 'switchboard.json');
    writeFileSync(configPath, `\uFEFF${JSON.stringify({ listeners: [], admin: { host: '0.0.0.0', token: 'service-token-0123456789abc' } })}`);
    const endpoint = readServiceEndpoint(configPath);
    expect(endpoint).toEqual({ baseUrl: 'http://127.0.0.1:9090', token: 'service-token-0123456789abc' });
    expect(consoleUrlOf(endpoint)).toBe('http://127.0.0.1:9090/#token=service-token-0123456789abc');
  });

  it('says why the settings cannot be used', () => {
    const folder = tempFolder();
    const configPath = join(folder, 'switchboard.json');
    expect(() => readServiceEndpoint(configPath)).toThrow(`the service has not created its settings yet (${configPath})`);
    writeFileSync(configPath, '{"admin": ');
    expect(() => readServiceEndpoint(configPath)).toThrow(/are not valid JSON/);
    writeFileSync(configPath, '{"admin": {"port": 9090}}');
    expect(() => readServiceEndpoint(configPath)).toThrow(/have no valid "admin" section/);
    if (process.getuid?.() !== 0) {
      writeFileSync(configPath, '{"admin": {"token": "service-token-0123456789abc"}}');
      chmodSync(configPath, 0o000);
      expect(() => readServiceEndpoint(configPath)).toThrow(/readable by administrators only: run Switchboard as administrator/);
    }
  });
});

describe('Start service / Stop service', () => {
  it('runs sc.exe elevated through PowerShell and passes its exit code back', () => {
    const command = elevatedServiceCommand('stop');
    expect(command.file).toBe('powershell.exe');
    expect(command.args.slice(0, 5)).toEqual(['-NoProfile', '-NonInteractive', '-WindowStyle', 'Hidden', '-Command']);
    expect(command.args[5]).toBe(
      "$p = Start-Process -FilePath (Join-Path $env:SystemRoot 'System32\\sc.exe') -ArgumentList 'stop','SwitchboardGateway' -Verb RunAs -WindowStyle Hidden -Wait -PassThru; exit $p.ExitCode",
    );
    expect(elevatedServiceCommand('start').args[5]).toContain("-ArgumentList 'start','SwitchboardGateway' -Verb RunAs");
    expect(elevatedServiceCommand('start').args[5]).not.toContain('"');
  });

  it('refuses a service name that could break out of the command', () => {
    expect(() => elevatedServiceCommand('start', "x','y; Remove-Item")).toThrow(/not a service name/);
  });

  it('hands the command to the runner and reports its failure', async () => {
    const ran: CommandLine[] = [];
    await controlService('start', async (command) => void ran.push(command));
    expect(ran).toEqual([elevatedServiceCommand('start')]);
    await expect(controlService('stop', () => Promise.reject(new Error('The operation was canceled by the user.')))).rejects.toThrow(
      'The operation was canceled by the user.',
    );
  });
});
