/** Runs wrk, the load generator, and reads its summary. */
import { spawn, spawnSync } from 'node:child_process';

export interface LoadResult {
  requestsPerSec: number;
  p99Ms: number;
  requests: number;
  /** Responses that were not 2xx/3xx plus socket errors: a non-zero count makes the run suspect. */
  failures: number;
}

export function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

export function runWrk(url: string, options: { durationSec: number; connections: number; headers?: string[] }): Promise<LoadResult> {
  const args = ['-t1', `-c${options.connections}`, `-d${options.durationSec}s`, '--latency'];
  for (const header of options.headers ?? []) args.push('-H', header);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`wrk exited with ${code}:\n${output}`));
      else {
        try {
          resolve(parseWrkOutput(output));
        } catch (error) {
          reject(error);
        }
      }
    });
  });
}

export function parseWrkOutput(output: string): LoadResult {
  const rate = /Requests\/sec:\s+([\d.]+)/.exec(output);
  const p99 = /^\s*99%\s+([\d.]+)(us|ms|s)\s*$/m.exec(output);
  const total = /(\d+) requests in/.exec(output);
  if (!rate || !p99 || !total) throw new Error(`could not read wrk's output:\n${output}`);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(output)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const errors = socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  const scale = { us: 0.001, ms: 1, s: 1000 }[p99[2] as 'us' | 'ms' | 's'];
  return {
    requestsPerSec: Number(rate[1]),
    p99Ms: Number(p99[1]) * scale,
    requests: Number(total[1]),
    failures: non2xx + errors,
  };
}
