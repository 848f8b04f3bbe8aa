/**
 * "Start service" and "Stop service" from the tray: the service control manager wants an
 * administrator, so the command goes through PowerShell's `Start-Process -Verb RunAs`, which shows
 * the UAC prompt. The command line is built by a pure function and run by an injectable runner,
 * so tests check exactly what would be run.
 */
import { execFile } from 'node:child_process';
import { SERVICE_ID } from './service-layout.js';

export type ServiceAction = 'start' | 'stop';

export interface CommandLine {
  file: string;
  args: string[];
}

export type CommandRunner = (command: CommandLine) => Promise<void>;

export function elevatedServiceCommand(action: ServiceAction, serviceId: string = SERVICE_ID): CommandLine {
  if (!/^[A-Za-z0-9_-]+$/.test(serviceId)) throw new Error(`not a service name: ${serviceId}`);
  // sc.exe's exit code is passed back through -PassThru, so a refusal is not taken for success.
  // No double quotes: they would need escaping on the way through the command line.
  const script = [
    `$p = Start-Process -FilePath (Join-Path $env:SystemRoot 'System32\\sc.exe') -ArgumentList '${action}','${serviceId}'`,
    '-Verb RunAs -WindowStyle Hidden -Wait -PassThru;',
    'exit $p.ExitCode',
  ].join(' ');
  return { file: 'powershell.exe', args: ['-NoProfile', '-NonInteractive', '-WindowStyle', 'Hidden', '-Command', script] };
}

/** Runs a command and rejects with its output when it fails (or the UAC prompt was declined). */
const runCommand: CommandRunner = (command) =>
  new Promise((resolve, reject) => {
    execFile(command.file, command.args, { windowsHide: true, timeout: 60_000 }, (error, _stdout, stderr) => {
      if (error === null) resolve();
      else reject(new Error(stderr.trim() || `${command.file} failed (${error.code ?? error.message}); was the administrator prompt declined?`));
    });
  });

export function controlService(action: ServiceAction, run: CommandRunner = runCommand): Promise<void> {
  return run(elevatedServiceCommand(action));
}
