/**
 * `npm run bench -- sessions`: what a million live sessions cost. Fills the gateway's session
 * table, reports the heap it takes, saves it the way the state store does, then lets every
 * session expire while measuring the longest event-loop pause.
 */
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SessionTable } from '../../proxy/sessions/session-table.js';

const SESSION_COUNT = 1_000_000;
const SERVERS = ['v1', 'v2', 'v3', 'v4'];
const CLUSTER = 'web';
const IDLE_MS = 20_000;
const SWEEP_INTERVAL_MS = 1000;

export async function runSessionBench(): Promise<void> {
  const collectGarbage = exposeGc();
  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;

  const table = new SessionTable(Date.now());
  table.setPolicy(CLUSTER, { idleMs: IDLE_MS, maxLifetimeMs: null });
  const createStart = performance.now();
  const ids = randomBytes(16 * SESSION_COUNT);
  for (let i = 0; i < SESSION_COUNT; i++) {
    const key = ids.subarray(i * 16, i * 16 + 16).toString('base64url');
    const client = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    table.create(CLUSTER, SERVERS[i % SERVERS.length]!, key, client, Date.now());
  }
  const createMs = performance.now() - createStart;
  collectGarbage();
  const heapAfter = process.memoryUsage().heapUsed;
  const heapMb = (heapAfter - heapBefore) / 1024 / 1024;

  console.log(`${table.size.toLocaleString('en')} live sessions in the session table`);
  console.log(`  created in ${(createMs / 1000).toFixed(1)} s`);
  console.log(`  heap: ${heapMb.toFixed(0)} MB (${((heapAfter - heapBefore) / table.size).toFixed(0)} bytes per session), rss ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`);

  const save = await measurePauses(async () => {
    let bytes = 0;
    for (const chunk of table.serialize()) {
      bytes += Buffer.byteLength(chunk);
      // The state store yields to the event loop between chunks in the same way.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return bytes;
  });
  console.log(`Saving the table: ${(save.value / 1024 / 1024).toFixed(0)} MB in ${(save.elapsedMs / 1000).toFixed(1)} s, longest event-loop pause ${save.maxPauseMs.toFixed(1)} ms`);

  const expiry = await measurePauses(() => expireAll(table));
  console.log(
    `Expiring all of them: done ${(expiry.value / 1000).toFixed(1)} s after the first came due, ` +
      `longest event-loop pause ${expiry.maxPauseMs.toFixed(1)} ms (p99 ${expiry.p99PauseMs.toFixed(1)} ms), ${table.size} left`,
  );
}

/** Drives `sweep` the way a gateway would: a timer tick, continued at once while behind. */
function expireAll(table: SessionTable): Promise<number> {
  return new Promise((resolve) => {
    let firstDueAt: number | undefined;
    let sweeping = false;
    const sweepNow = (): void => {
      const sizeBefore = table.size;
      const caughtUp = table.sweep(Date.now());
      if (table.size < sizeBefore) firstDueAt ??= Date.now();
      if (table.size === 0) {
        clearInterval(timer);
        resolve(Date.now() - (firstDueAt ?? Date.now()));
        return;
      }
      if (caughtUp) sweeping = false;
      else setImmediate(sweepNow);
    };
    const timer = setInterval(() => {
      if (sweeping) return;
      sweeping = true;
      sweepNow();
    }, SWEEP_INTERVAL_MS);
  });
}

async function measurePauses<T>(work: () => Promise<T>): Promise<{ value: T; elapsedMs: number; maxPauseMs: number; p99PauseMs: number }> {
  const histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const start = performance.now();
  const value = await work();
  const elapsedMs = performance.now() - start;
  histogram.disable();
  return { value, elapsedMs, maxPauseMs: histogram.max / 1e6, p99PauseMs: histogram.percentile(99) / 1e6 };
}

/** `global.gc` without restarting Node with --expose-gc, so that heap figures are settled. */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
