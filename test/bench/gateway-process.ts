/** The Switchboard gateway in its own process, started the way an admin would: headless mode. */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitForPort } from './wait-for-port.js';

export interface GatewayProcess {
  /** The gateway's process id, to read its memory. */
  readonly pid: number;
  readonly adminUrl: string;
  readonly token: string;
  close(): Promise<void>;
}

export async function startGatewayProcess(options: {
  repoRoot: string;
  workDir: string;
  listenPort: number;
  adminPort: number;
  backendUrl: string;
  /** Replaces the default one-cluster configuration; `admin` is filled in. */
  config?: Record<string, unknown>;
}): Promise<GatewayProcess> {
  const token = 'bench-token-0123456789abcdef';
  const configPath = join(options.workDir, 'switchboard.json');
  const admin = { host: '127.0.0.1', port: options.adminPort, token };
  writeFileSync(
    configPath,
    JSON.stringify(options.config ? { ...options.config, admin } : {
      listeners: [{ port: options.listenPort, host: '127.0.0.1' }],
      admin,
      routes: [{ host: '*', path: '/', cluster: 'bench' }],
      clusters: [
        {
          id: 'bench',
          name: 'Bench',
          healthCheck: { type: 'tcp', intervalSec: 10 },
          servers: [{ id: 'backend', name: 'Backend', url: options.backendUrl, capacity: 100 }],
        },
      ],
    }),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', join(options.repoRoot, 'proxy/headless.ts'), '--config', configPath], {
    cwd: options.repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    await waitForPort(options.listenPort, 30_000, () => (child.exitCode !== null ? `the gateway exited:\n${output}` : undefined));
    await waitForPort(options.adminPort, 10_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    pid: child.pid!,
    adminUrl: `http://127.0.0.1:${options.adminPort}`,
    token,
    close: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
