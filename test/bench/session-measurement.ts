/**
 * One measured life of a million sessions, in a process of its own (so that heap figures are its
 * alone), with the session table and state store of the checkout given as argument: fill, save,
 * expire all at once, restore. Prints its figures as one JSON line for session-bench.ts.
 */
import { mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export const SESSION_COUNT = 1_000_000;
const SERVERS = ['v1', 'v2', 'v3', 'v4'];
const CLUSTER = 'web';
const IDLE_MS = 20 * 60_000;
/** Sessions created between two turns of the event loop while filling, as requests would. */
const FILL_BATCH = 1000;
const REFERENCE_TURNS = 1000;
const REFERENCE_TURN_MS = 2;

/** The parts of a checkout's session table and state store that every version has had. */
interface TableLike {
  readonly size: number;
  setPolicy(clusterId: string, policy: { idleMs: number; maxLifetimeMs: number | null }): void;
  create(clusterId: string, serverId: string, key: string, client: string, now: number): unknown;
  sweep(now: number): boolean;
  serialize(): Iterable<string | Uint8Array>;
  restore(saved: never, now: number, serverExists: (clusterId: string, serverId: string) => boolean): number;
}
interface StoreLike {
  saveSessions(chunks: Iterable<string | Uint8Array>): Promise<void>;
  loadSessions(): Promise<unknown>;
}

export interface Phase {
  elapsedMs: number;
  /** The longest turn of the event loop, wall-clock, and its 99th percentile. */
  maxPauseMs: number;
  p99PauseMs: number;
  /**
   * The same without the time the thread spent waiting for a core (Linux; elsewhere equal to the
   * wall-clock figures): what the work itself held the event loop for, however busy the machine.
   */
  maxOwnMs: number;
  p99OwnMs: number;
}

export interface Measurement {
  /** Turns of exactly 2 ms of work each: the longest turn the machine itself adds to any measurement. */
  reference: Phase;
  fill: Phase & { bytesPerSession: number; heapMb: number; rssMb: number };
  save: Phase & { fileMb: number };
  expire: Phase & { left: number; heapLeftMb: number };
  restore: Phase & { restored: number; bytesPerSession: number; heapMb: number };
}

async function measure(root: string): Promise<Measurement> {
  const { SessionTable } = (await import(pathToFileURL(join(root, 'proxy/sessions/session-table.ts')).href)) as { SessionTable: new (now: number) => TableLike };
  const { FileStateStore } = (await import(pathToFileURL(join(root, 'proxy/config/state-store.ts')).href)) as { FileStateStore: new (dir: string, base: string) => StoreLike };
  const collectGarbage = exposeGc();
  const directory = mkdtempSync(join(tmpdir(), 'switchboard-session-bench-'));
  try {
    const store = new FileStateStore(directory, 'bench');
    const reference = await timed(async () => {
      for (let turn = 0; turn < REFERENCE_TURNS; turn++) {
        const end = performance.now() + REFERENCE_TURN_MS;
        while (performance.now() < end);
        await turnOfLoop();
      }
    });
    const before = settledMemory(collectGarbage);
    let table: TableLike | undefined = new SessionTable(Date.now());
    table.setPolicy(CLUSTER, { idleMs: IDLE_MS, maxLifetimeMs: null });
    const filled = table;
    const fill = await timed(async () => {
      const ids = new Uint8Array(16);
      for (let i = 0; i < SESSION_COUNT; i++) {
        for (let b = 0; b < 16; b++) ids[b] = (Math.random() * 256) | 0;
        const key = Buffer.from(ids).toString('base64url');
        const client = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
        filled.create(CLUSTER, SERVERS[i % SERVERS.length]!, key, client, Date.now());
        if (i % FILL_BATCH === FILL_BATCH - 1) await turnOfLoop();
      }
    });
    const full = settledMemory(collectGarbage);
    const save = await timed(() => store.saveSessions(filled.serialize()));
    const fileMb = statSync(join(directory, 'bench.sessions')).size / 2 ** 20;
    // Everyone's timeout ends at once: the sweeper's worst case.
    const expire = await timed(() => sweepAll(filled, Date.now() + IDLE_MS + 1000));
    const left = filled.size;
    const emptied = settledMemory(collectGarbage);
    table = undefined;

    const beforeRestore = settledMemory(collectGarbage);
    const restoring = new SessionTable(Date.now());
    restoring.setPolicy(CLUSTER, { idleMs: IDLE_MS, maxLifetimeMs: null });
    let restored = 0;
    const restore = await timed(async () => {
      const saved = await store.loadSessions();
      restored = restoring.restore(saved as never, Date.now(), () => true);
    });
    const afterRestore = settledMemory(collectGarbage);
    return {
      reference,
      fill: { ...fill, bytesPerSession: (full.heap - before.heap) / SESSION_COUNT, heapMb: (full.heap - before.heap) / 2 ** 20, rssMb: full.rss / 2 ** 20 },
      save: { ...save, fileMb },
      expire: { ...expire, left, heapLeftMb: (emptied.heap - before.heap) / 2 ** 20 },
      restore: { ...restore, restored, bytesPerSession: (afterRestore.heap - beforeRestore.heap) / restored, heapMb: (afterRestore.heap - beforeRestore.heap) / 2 ** 20 },
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Drives `sweep` the way the gateway does: again on the next turn of the event loop while behind. */
function sweepAll(table: TableLike, now: number): Promise<void> {
  return new Promise((resolve) => {
    const more = (): void => {
      if (table.sweep(now)) resolve();
      else setImmediate(more);
    };
    more();
  });
}

/**
 * Runs `work` while a probe runs on every turn of the event loop, timing each turn: wall-clock
 * (what a request waiting behind it feels, including time the machine gave to other processes)
 * and the same less the time this thread waited for a core (see waitedMs).
 */
async function timed(work: () => Promise<void>): Promise<Phase> {
  // The probe allocates nothing (turns go in typed arrays), so as not to bring on collections itself.
  const wallTurns = new TurnLog();
  const ownTurns = new TurnLog();
  let probing = true;
  let lastWall = performance.now();
  let lastWaited = waitedMs();
  const probe = (): void => {
    const wall = performance.now();
    const waited = waitedMs();
    wallTurns.add(wall - lastWall);
    ownTurns.add(Math.max(0, wall - lastWall - (waited - lastWaited)));
    lastWall = wall;
    lastWaited = waited;
    if (probing) setImmediate(probe);
  };
  setImmediate(probe);
  const start = performance.now();
  await work();
  // A last turn, so that a pause at the very end is timed too.
  await new Promise((resolve) => setImmediate(resolve));
  const elapsedMs = performance.now() - start;
  probing = false;
  return { elapsedMs, maxPauseMs: wallTurns.max(), p99PauseMs: wallTurns.percentile99(), maxOwnMs: ownTurns.max(), p99OwnMs: ownTurns.percentile99() };
}

class TurnLog {
  private values = new Float64Array(1 << 16);
  private count = 0;

  add(value: number): void {
    if (this.count === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.count++] = value;
  }

  max(): number {
    return this.values.subarray(0, this.count).reduce((a, b) => Math.max(a, b), 0);
  }

  percentile99(): number {
    const sorted = this.values.slice(0, this.count).sort();
    return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
  }
}

const schedstat = (() => {
  try {
    return openSync('/proc/thread-self/schedstat', 'r');
  } catch {
    return undefined;
  }
})();
const schedstatBytes = Buffer.alloc(96);

/**
 * How long this thread has waited, runnable, for a core since it started (Linux's schedstat, in
 * ns, brought up to date each time the thread gets a core back); 0 where that is not known.
 */
function waitedMs(): number {
  if (schedstat === undefined) return 0;
  const length = readSync(schedstat, schedstatBytes, 0, schedstatBytes.length, 0);
  // "<ns on a core> <ns waiting for one> <slices>": the second number, read without making strings.
  let at = schedstatBytes.indexOf(32) + 1;
  let nanoseconds = 0;
  while (at < length && schedstatBytes[at]! >= 48 && schedstatBytes[at]! <= 57) nanoseconds = nanoseconds * 10 + schedstatBytes[at++]! - 48;
  return nanoseconds / 1e6;
}

/** JS heap plus the typed arrays' memory outside it, after a full collection. */
function settledMemory(collectGarbage: () => void): { heap: number; rss: number } {
  collectGarbage();
  collectGarbage();
  const usage = process.memoryUsage();
  return { heap: usage.heapUsed + usage.arrayBuffers, rss: usage.rss };
}

function turnOfLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** `global.gc` without restarting Node with --expose-gc, so that heap figures are settled. */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const root = process.argv[2];
if (root) console.log(JSON.stringify(await measure(root)));
