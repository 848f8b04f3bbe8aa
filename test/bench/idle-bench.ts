/**
 * `npm run bench -- idle [--seconds N] [--baseline DIR]`: the CPU an idle gateway uses. Headless mode
 * with 10 clusters × 5 servers (real tiny backends on 127.0.0.1, health checks on at their defaults)
 * and no console open, measured twice: before it ever served a request, and idle again after
 * 1,100 requests per server (what a gateway looks like at night). The gateway process's user +
 * system CPU time is read from /proc/<pid>/stat before and after each measured span. With
 * `--baseline DIR` another checkout's gateway is measured alternately with this one.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../demo/free-port.js';
import { startBenchBackend, type BenchBackend } from './bench-backend.js';
import { startGatewayProcess } from './gateway-process.js';

const CLUSTERS = 10;
const SERVERS_PER_CLUSTER = 5;
const DEFAULT_SECONDS = 60;
/** Startup (module loading, the first health checks, JIT) is not idling: let it settle first. */
const SETTLE_MS = 5000;
const GOAL_PERCENT = 1;
/** Enough for every server's latency samples (1,024) to be full. */
const REQUESTS_PER_SERVER = 1100;
const CONCURRENCY = 16;

export async function runIdleBench(repoRoot: string, baselineRoot: string | undefined, seconds = DEFAULT_SECONDS): Promise<void> {
  if (!readableProcStat()) {
    console.log('This bench reads /proc/<pid>/stat, which this system does not have (it runs on Linux).');
    process.exitCode = 1;
    return;
  }
  const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const backends: BenchBackend[] = [];
  const workDir = mkdtempSync(join(tmpdir(), 'switchboard-idle-bench-'));
  try {
    for (let i = 0; i < CLUSTERS * SERVERS_PER_CLUSTER; i++) backends.push(await startBenchBackend());
    console.log(`Idle gateway: ${CLUSTERS} clusters × ${SERVERS_PER_CLUSTER} servers, default health checks, no console open; CPU over ${seconds} s after ${SETTLE_MS / 1000} s to settle; Node ${process.version}\n`);
    const runs: [string, string][] = baselineRoot
      ? [['switchboard', repoRoot], ['baseline', baselineRoot], ['switchboard', repoRoot], ['baseline', baselineRoot]]
      : [['switchboard', repoRoot]];
    for (const [label, root] of runs) {
      const { fresh, afterTraffic } = await measureOnce(root, workDir, backends, seconds, ticksPerSecond);
      console.log(`${label.padEnd(12)} never served:  idle CPU ${fresh.toFixed(2)} % of a core (goal < ${GOAL_PERCENT} %)`);
      console.log(`${label.padEnd(12)} after traffic: idle CPU ${afterTraffic.toFixed(2)} % of a core (goal < ${GOAL_PERCENT} %)`);
    }
  } finally {
    await Promise.all(backends.map((backend) => backend.close()));
    rmSync(workDir, { recursive: true, force: true });
  }
}

async function measureOnce(
  repoRoot: string,
  workDir: string,
  backends: BenchBackend[],
  seconds: number,
  ticksPerSecond: number,
): Promise<{ fresh: number; afterTraffic: number }> {
  const listenPort = await freePort();
  const gateway = await startGatewayProcess({
    repoRoot,
    workDir,
    listenPort,
    adminPort: await freePort(),
    backendUrl: '',
    config: idleConfig(listenPort, backends),
  });
  const idlePercent = async (): Promise<number> => {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const before = cpuTicks(gateway.pid);
    const startedAt = process.hrtime.bigint();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const cpuSec = (cpuTicks(gateway.pid) - before) / ticksPerSecond;
    const wallSec = Number(process.hrtime.bigint() - startedAt) / 1e9;
    return (cpuSec / wallSec) * 100;
  };
  try {
    const fresh = await idlePercent();
    await sendTraffic(listenPort);
    return { fresh, afterTraffic: await idlePercent() };
  } finally {
    await gateway.close();
  }
}

/** Requests without a cookie through every cluster's route, each a new visitor, so that every server gets its share. */
async function sendTraffic(port: number): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const paths = Array.from({ length: CLUSTERS * SERVERS_PER_CLUSTER * REQUESTS_PER_SERVER }, (_, i) => `/cluster-${i % CLUSTERS}/`);
  const worker = async (): Promise<void> => {
    for (let path = paths.pop(); path !== undefined; path = paths.pop()) {
      await new Promise<void>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port, path, agent }, (res) => res.resume().on('end', resolve)).on('error', reject);
      });
    }
  };
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  } finally {
    agent.destroy();
  }
}

function idleConfig(listenPort: number, backends: BenchBackend[]): Record<string, unknown> {
  const clusters = Array.from({ length: CLUSTERS }, (_, c) => ({
    id: `cluster-${c}`,
    name: `Cluster ${c}`,
    servers: Array.from({ length: SERVERS_PER_CLUSTER }, (_, s) => ({
      id: `server-${s}`,
      name: `Server ${c}.${s}`,
      url: `http://127.0.0.1:${backends[c * SERVERS_PER_CLUSTER + s]!.port}`,
    })),
  }));
  return {
    listeners: [{ port: listenPort, host: '127.0.0.1' }],
    routes: clusters.map((cluster) => ({ host: '*', path: `/${cluster.id}/`, cluster: cluster.id })),
    clusters,
  };
}

/** User + system time of the whole process (every thread), in clock ticks. */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields from the ")" that ends it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function readableProcStat(): boolean {
  try {
    readFileSync(`/proc/${process.pid}/stat`, 'utf8');
    return true;
  } catch {
    return false;
  }
}
