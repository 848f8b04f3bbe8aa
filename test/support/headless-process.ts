/**
 * Headless mode as an admin runs it, `tsx proxy/headless.ts --config <file>`, in a child process
 * that a test starts and that is killed after each test if it is still running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterEach } from 'vitest';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(REPO_ROOT, 'node_modules/.bin/tsx');
const HEADLESS = join(REPO_ROOT, 'proxy/headless.ts');

export interface Headless {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr interleaved. */
  output: () => string;
  exited: Promise<number | null>;
  waitForOutput: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>;
}

export interface HeadlessOptions {
  /** The child's working directory; also where its (absent) web console is looked for. */
  workDir: string;
  /** Variables added to this process's environment for the child. */
  env?: Record<string, string>;
}

const children: ChildProcess[] = [];

// tsx runs the gateway in a node process of its own, which a SIGKILL to tsx would leave running:
// each child leads a process group, and the whole group is killed.
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      const exit = new Promise((resolveExit) => child.once('exit', resolveExit));
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // The whole group has just ended on its own; its 'exit' is on the way.
      }
      await exit;
    }
  }
});

export function startHeadless(configPath: string, { workDir, env }: HeadlessOptions): Headless {
  const child = spawn(TSX, [HEADLESS, '--config', configPath, '--dashboard', join(workDir, 'no-dashboard')], {
    cwd: workDir,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  const waiters = new Set<() => void>();
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
    for (const wake of [...waiters]) wake();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
  return {
    child,
    output: () => output,
    exited,
    waitForOutput: (pattern, timeoutMs = 20_000) =>
      new Promise((resolveMatch, reject) => {
        const check = (): void => {
          const match = output.match(pattern);
          if (!match) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolveMatch(match);
        };
        const giveUp = (why: string): void => {
          waiters.delete(check);
          clearTimeout(timer);
          reject(new Error(`headless mode ${why} without printing ${pattern}; it printed:\n${output}`));
        };
        const timer = setTimeout(() => giveUp(`ran ${timeoutMs} ms`), timeoutMs);
        void exited.then((code) => giveUp(`exited with code ${code}`));
        waiters.add(check);
        check();
      }),
  };
}
