/**
 * `npm run bench -- flood [--baseline DIR]`: what 100,000 requests without a valid cookie (each a
 * new visitor, as a flood looks) cost the session layer: heap after a full GC, sessions stored and
 * time per request. The session code is loaded from this checkout and, with `--baseline DIR`, from
 * another one, and driven directly, without HTTP, so that nothing else blurs the numbers.
 */
import type http from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';

const REQUESTS = 100_000;
const ROUNDS = 3;

interface SessionModules {
  clusterSchema: { parse(input: unknown): unknown };
  ClusterRuntime: new (config: unknown, onStateChange: () => void, count: (c: string, s: string) => number) => ClusterLike;
  SessionTable: new (now: number, onOccupancy?: () => void) => TableLike;
  SessionBinder: new (table: TableLike, codec: unknown) => { bind(cluster: ClusterLike, req: http.IncomingMessage, client: string, secure: boolean, now: number): unknown };
  SessionCookieCodec: new (secret: Buffer) => unknown;
}
interface ClusterLike {
  update(config: unknown, now: number): unknown;
  servers: Map<string, { refreshState(): void }>;
}
interface TableLike {
  size: number;
  countOf(c: string, s: string): number;
  setPolicy(c: string, policy: { idleMs: number; maxLifetimeMs: number | null }): void;
}

export async function runSessionFloodBench(repoRoot: string, baselineRoot: string | undefined): Promise<void> {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  console.log(`${REQUESTS} requests without a valid cookie, one session layer each, best of ${ROUNDS}; Node ${process.version}\n`);
  for (const [label, root] of [['switchboard', repoRoot], ...(baselineRoot ? [['baseline', baselineRoot]] : [])] as [string, string][]) {
    const modules = await load(root);
    let best: { heapMb: number; stored: number; microsPerRequest: number } | undefined;
    for (let round = 0; round < ROUNDS; round++) {
      const result = floodOnce(modules, gc);
      if (!best || result.heapMb < best.heapMb) best = result;
    }
    console.log(
      `${label.padEnd(12)} ${best!.stored} sessions stored, heap ${best!.heapMb < 0.05 ? '±0.0' : `+${best!.heapMb.toFixed(1)}`} MB per 100k requests, ${best!.microsPerRequest.toFixed(2)} µs per request`,
    );
  }
}

async function load(root: string): Promise<SessionModules> {
  // A baseline checkout may predate the proxy's folders, when every module sat in proxy/ itself.
  const from = (folder: string, file: string): Promise<Record<string, unknown>> => {
    const inFolder = join(root, 'proxy', folder, file);
    return import(pathToFileURL(existsSync(inFolder) ? inFolder : join(root, 'proxy', file)).href);
  };
  const [schema, runtime, table, binder, cookie] = await Promise.all([
    from('config', 'config-schema.ts'),
    from('runtime', 'cluster-runtime.ts'),
    from('sessions', 'session-table.ts'),
    from('sessions', 'session-binder.ts'),
    from('sessions', 'session-cookie.ts'),
  ]);
  return {
    clusterSchema: schema.clusterSchema as SessionModules['clusterSchema'],
    ClusterRuntime: runtime.ClusterRuntime as SessionModules['ClusterRuntime'],
    SessionTable: table.SessionTable as SessionModules['SessionTable'],
    SessionBinder: binder.SessionBinder as SessionModules['SessionBinder'],
    SessionCookieCodec: cookie.SessionCookieCodec as SessionModules['SessionCookieCodec'],
  };
}

function floodOnce(modules: SessionModules, gc: () => void): { heapMb: number; stored: number; microsPerRequest: number } {
  const now = Date.now();
  const config = modules.clusterSchema.parse({
    id: 'web',
    name: 'Web',
    servers: [
      { id: 'a', name: 'A', url: 'http://127.0.0.1:9' },
      { id: 'b', name: 'B', url: 'http://127.0.0.1:9' },
    ],
  });
  const table = new modules.SessionTable(now);
  table.setPolicy('web', { idleMs: 1_800_000, maxLifetimeMs: null });
  const cluster = new modules.ClusterRuntime(config, () => {}, (c, s) => table.countOf(c, s));
  cluster.update(config, now);
  for (const server of cluster.servers.values()) server.refreshState();
  const binder = new modules.SessionBinder(table, new modules.SessionCookieCodec(Buffer.alloc(32, 7)));
  const req = { headers: {}, socket: {} } as http.IncomingMessage;

  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = process.hrtime.bigint();
  for (let i = 0; i < REQUESTS; i++) binder.bind(cluster, req, `192.0.2.${i % 3}`, false, now);
  const elapsedNs = Number(process.hrtime.bigint() - started);
  gc();
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
  const stored = table.size;
  for (const server of cluster.servers.values()) (server as unknown as { close(): void }).close();
  return { heapMb, stored, microsPerRequest: elapsedNs / 1000 / REQUESTS };
}
