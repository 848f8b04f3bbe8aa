/** A reference proxy (nginx, HAProxy, Caddy) run in the foreground for one measurement. */
import { spawn } from 'node:child_process';
import { waitForPort } from './wait-for-port.js';

export interface ReferenceProxy {
  /** The process started; nginx's worker is a child of it. */
  readonly pid: number;
  close(): Promise<void>;
}

export async function startReferenceProcess(
  name: string,
  command: string,
  args: string[],
  listenPort: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ReferenceProxy> {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
  let errorText = '';
  child.stderr.on('data', (chunk: Buffer) => (errorText += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    await waitForPort(listenPort, 10_000, () => (child.exitCode !== null ? `${name} exited: ${errorText}` : undefined));
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    pid: child.pid!,
    close: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
