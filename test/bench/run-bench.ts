/**
 * `npm run bench`: throughput and p99 latency of one small backend measured directly, through the
 * Switchboard gateway (sticky steady state, then a new-session storm: no cookie, so every request
 * starts a session), through nginx, HAProxy and Caddy where installed, and through a bare Node
 * forwarder (Node's HTTP server and undici, nothing else: the floor of any Node gateway), in the same
 * run, with the goals for the gateway printed next to what it reached.
 * `npm run bench -- --baseline DIR`: the same, plus the gateway of another checkout (DIR, with its
 * own node_modules) measured alternately with this one, for an A/B comparison of a change.
 * `npm run bench -- sessions [--baseline DIR] [--rounds N]`: memory and event-loop pauses of a million live sessions.
 * `npm run bench -- tls`: what HTTPS and compression cost through the gateway, against plain HTTP.
 * `npm run bench -- flood [--baseline DIR]`: what a flood of cookie-less requests costs the gateway in memory.
 * `npm run bench -- idle [--seconds N] [--baseline DIR]`: the CPU an idle gateway with 50 servers uses.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../demo/free-port.js';
import { startBenchBackend } from './bench-backend.js';
import { startGatewayProcess } from './gateway-process.js';
import { startBareForwarder } from './bare-forwarder.js';
import { startCaddy } from './caddy-proxy.js';
import { startHaproxy } from './haproxy-proxy.js';
import { startNginx } from './nginx-proxy.js';
import type { ReferenceProxy } from './reference-process.js';
import { hasCommand, runWrk, type LoadResult } from './wrk.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DURATION_SEC = 10;
const WARM_UP_SEC = 3;
const CONNECTIONS = 50;

/** Reference proxies, each measured when its command is installed (Debian: apt-get install nginx haproxy caddy). */
const REFERENCES: { label: string; command: string; start: (workDir: string, port: number, backendPort: number) => Promise<ReferenceProxy> }[] = [
  { label: 'nginx (1 worker)', command: 'nginx', start: startNginx },
  { label: 'haproxy (1 thread)', command: 'haproxy', start: startHaproxy },
  { label: 'caddy (1 core)', command: 'caddy', start: startCaddy },
  // Node's floor: what any gateway built on Node's HTTP server and undici reaches on this machine.
  { label: 'bare Node forwarder', command: 'node', start: (_workDir, port, backendPort) => startBareForwarder(port, backendPort) },
];

interface Measurement {
  label: string;
  result: LoadResult;
  /** Which gateway a gateway row measured, and how; undefined for the backend and the references. */
  gateway?: { side: 'this' | 'baseline'; load: 'sticky' | 'storm' };
  /** The gateway process's CPU time (user + system) per request, where the system reports it. */
  cpuUsPerRequest?: number | undefined;
}

async function runHttpBench(baselineRoot: string | undefined): Promise<void> {
  if (!hasCommand('wrk')) {
    console.log('wrk is missing, so there is nothing to generate load with. Install it (Debian: apt-get install wrk) and run again.');
    process.exitCode = 1;
    return;
  }
  const workDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const backend = await startBenchBackend();
    cleanups.push(() => backend.close());
    const [gatewayPort, adminPort, referencePort] = [await freePort(), await freePort(), await freePort()];

    console.log(`wrk -t1 -c${CONNECTIONS} -d${DURATION_SEC}s (after a ${WARM_UP_SEC} s warm-up each), ${process.arch}, Node ${process.version}\n`);
    const measurements: Measurement[] = [];
    measurements.push({ label: 'direct', result: await measure(`http://127.0.0.1:${backend.port}/`) });

    const measureGateway = async (repoRoot: string, side: 'this' | 'baseline', run: string): Promise<number> => {
      const gateway = await startGatewayProcess({
        repoRoot,
        workDir,
        listenPort: gatewayPort,
        adminPort,
        backendUrl: `http://127.0.0.1:${backend.port}`,
      });
      cleanups.push(() => gateway.close());
      const gatewayUrl = `http://127.0.0.1:${gatewayPort}/`;
      const cookie = await sessionCookieFrom(gatewayUrl);
      const name = side === 'this' ? 'switchboard' : 'baseline';
      const sticky = await measureProcess(gateway.pid, gatewayUrl, [`Cookie: ${cookie}`]);
      measurements.push({ label: `${name} (sticky)${run}`, gateway: { side, load: 'sticky' }, ...sticky });
      const sessions = await liveSessions(gateway.adminUrl, gateway.token);
      // Every request without a cookie starts a session: what a crowd of new visitors costs.
      const storm = await measureProcess(gateway.pid, gatewayUrl);
      measurements.push({ label: `${name} (new-session storm)${run}`, gateway: { side, load: 'storm' }, ...storm });
      await gateway.close();
      cleanups.pop();
      return sessions;
    };
    const sessions = await measureGateway(REPO_ROOT, 'this', '');
    if (baselineRoot) {
      // Alternating the two evens out drift in the machine's speed over the run.
      await measureGateway(baselineRoot, 'baseline', '');
      await measureGateway(REPO_ROOT, 'this', ' 2');
      await measureGateway(baselineRoot, 'baseline', ' 2');
    }

    for (const reference of REFERENCES) {
      if (!hasCommand(reference.command)) {
        console.log(`${reference.command} is not installed: skipping it (Debian: apt-get install ${reference.command}).`);
        continue;
      }
      const proxy = await reference.start(join(workDir, reference.command), referencePort, backend.port);
      cleanups.push(() => proxy.close());
      measurements.push({ label: reference.label, ...(await measureProcess(proxy.pid, `http://127.0.0.1:${referencePort}/`)) });
      await proxy.close();
      cleanups.pop();
    }

    printTable(measurements);
    console.log(`\nLive sessions in the gateway after its sticky run: ${sessions} (1 means every request stuck to the session of the first).`);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  }
}

async function measure(url: string, headers: string[] = []): Promise<LoadResult> {
  await runWrk(url, { durationSec: WARM_UP_SEC, connections: CONNECTIONS, headers });
  return runWrk(url, { durationSec: DURATION_SEC, connections: CONNECTIONS, headers });
}

/**
 * A measurement with the CPU time the process spent on it: on a machine shared with other work,
 * CPU per request moves far less than requests per second.
 */
async function measureProcess(pid: number, url: string, headers: string[] = []): Promise<{ result: LoadResult; cpuUsPerRequest: number | undefined }> {
  await runWrk(url, { durationSec: WARM_UP_SEC, connections: CONNECTIONS, headers });
  const before = processCpuMs(pid);
  const result = await runWrk(url, { durationSec: DURATION_SEC, connections: CONNECTIONS, headers });
  const after = processCpuMs(pid);
  const cpuUsPerRequest = before === undefined || after === undefined || result.requests === 0 ? undefined : ((after - before) * 1000) / result.requests;
  return { result, cpuUsPerRequest };
}

/**
 * The CPU time so far of a process and the processes it started (nginx's worker), from Linux's
 * /proc; undefined elsewhere.
 */
function processCpuMs(pid: number): number | undefined {
  try {
    // Fields 14 and 15 (utime, stime), counted after the command name, which may hold spaces.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    let total = ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond();
    for (const child of childProcesses(pid)) total += processCpuMs(child) ?? 0;
    return total;
  } catch {
    return undefined;
  }
}

function childProcesses(pid: number): number[] {
  const children: number[] = [];
  for (const thread of readdirSync(`/proc/${pid}/task`)) {
    const listed = readFileSync(`/proc/${pid}/task/${thread}/children`, 'utf8').trim();
    if (listed) children.push(...listed.split(' ').map(Number));
  }
  return children;
}

let ticksPerSecond: number | undefined;
function clockTicksPerSecond(): number {
  ticksPerSecond ??= Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  return ticksPerSecond;
}

/** The gateway's session cookie from a first request, as `name=value`. */
function sessionCookieFrom(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      res.resume();
      const setCookie = res.headers['set-cookie']?.[0];
      if (res.statusCode !== 200 || !setCookie) reject(new Error(`the gateway answered ${res.statusCode} without a session cookie`));
      else resolve(setCookie.split(';')[0]!);
    }).on('error', reject);
  });
}

async function liveSessions(adminUrl: string, token: string): Promise<number> {
  const response = await fetch(`${adminUrl}/api/state`, { headers: { Authorization: `Bearer ${token}` } });
  const state = (await response.json()) as { clusters: { sessions: number }[] };
  return state.clusters.reduce((sum, cluster) => sum + cluster.sessions, 0);
}

function printTable(measurements: Measurement[]): void {
  const rows = [['target', 'req/s', 'p99 latency', 'requests', 'failures', 'CPU/request']];
  for (const { label, result, cpuUsPerRequest } of measurements) {
    const cpu = cpuUsPerRequest === undefined ? '' : `${cpuUsPerRequest.toFixed(0)} µs`;
    rows.push([label, result.requestsPerSec.toFixed(0), `${result.p99Ms.toFixed(2)} ms`, `${result.requests}`, `${result.failures}`, cpu]);
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const [index, row] of rows.entries()) {
    console.log(row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('   '));
    if (index === 0) console.log(widths.map((width) => '-'.repeat(width)).join('   '));
  }
  const mean = (values: number[]): number | undefined => (values.length === 0 ? undefined : values.reduce((sum, value) => sum + value, 0) / values.length);
  const of = (side: 'this' | 'baseline', load: 'sticky' | 'storm') => measurements.filter((m) => m.gateway?.side === side && m.gateway.load === load);
  const rate = (rows: Measurement[]) => mean(rows.map((m) => m.result.requestsPerSec));
  const p99 = (rows: Measurement[]) => mean(rows.map((m) => m.result.p99Ms));
  const cpu = (rows: Measurement[]) => mean(rows.flatMap((m) => (m.cpuUsPerRequest === undefined ? [] : [m.cpuUsPerRequest])));
  const reference = (label: string) => measurements.filter((m) => m.label === label);
  const sticky = rate(of('this', 'sticky'));
  const storm = rate(of('this', 'storm'));
  const direct = rate(reference('direct'));
  console.log('');
  if (sticky && direct) console.log(`switchboard / direct: ${(sticky / direct).toFixed(2)}`);
  for (const { label, command } of REFERENCES) {
    const other = rate(reference(label));
    if (!sticky || !other) continue;
    if (command !== 'nginx') {
      console.log(`sticky / ${command === 'node' ? label : command}: ${(sticky / other).toFixed(2)}`);
      continue;
    }
    console.log(`sticky / nginx: ${(sticky / other).toFixed(2)}   (goal ≥ 0.5)`);
    const ours = p99(of('this', 'sticky'));
    const theirs = p99(reference(label));
    if (ours !== undefined && theirs) console.log(`sticky p99 ${ours.toFixed(2)} ms = ${(ours / theirs).toFixed(1)} × nginx's ${theirs.toFixed(2)} ms   (goal ≤ 2 × nginx's)`);
    // The same comparison in CPU time, which a busy machine disturbs far less than requests per second.
    const ourCpu = cpu(of('this', 'sticky'));
    const theirCpu = cpu(reference(label));
    if (ourCpu && theirCpu) console.log(`sticky CPU per request ${ourCpu.toFixed(0)} µs = ${(ourCpu / theirCpu).toFixed(1)} × nginx's ${theirCpu.toFixed(0)} µs`);
  }
  const referenceRate = (command: string) => rate(reference(REFERENCES.find((entry) => entry.command === command)!.label));
  const nginx = referenceRate('nginx');
  const bare = referenceRate('node');
  // The ceiling of the nginx goal on this machine: a gateway that does anything costs more than this.
  if (nginx && bare) console.log(`bare Node forwarder / nginx: ${(bare / nginx).toFixed(2)}   (the most a gateway on Node's HTTP server and undici reaches here)`);
  if (sticky && storm) console.log(`new-session storm / sticky: ${(storm / sticky).toFixed(2)}   (goal ≥ 0.6)`);
  const baselineSticky = rate(of('baseline', 'sticky'));
  const baselineStorm = rate(of('baseline', 'storm'));
  if (sticky && baselineSticky && storm && baselineStorm) {
    console.log(`switchboard / baseline, req/s: sticky ${(sticky / baselineSticky).toFixed(3)}, new-session storm ${(storm / baselineStorm).toFixed(3)}   (mean of two runs each, alternated)`);
    const [cpuSticky, cpuBaseSticky, cpuStorm, cpuBaseStorm] = [cpu(of('this', 'sticky')), cpu(of('baseline', 'sticky')), cpu(of('this', 'storm')), cpu(of('baseline', 'storm'))];
    if (cpuSticky && cpuBaseSticky && cpuStorm && cpuBaseStorm) {
      console.log(`switchboard / baseline, CPU per request: sticky ${(cpuSticky / cpuBaseSticky).toFixed(3)}, new-session storm ${(cpuStorm / cpuBaseStorm).toFixed(3)}   (below 1 is cheaper)`);
    }
  }
}

const baselineFlag = process.argv.indexOf('--baseline');
const baselineRoot = baselineFlag === -1 ? undefined : process.argv[baselineFlag + 1];
const secondsFlag = process.argv.indexOf('--seconds');
const seconds = secondsFlag === -1 ? undefined : Number(process.argv[secondsFlag + 1]);
const roundsFlag = process.argv.indexOf('--rounds');
const rounds = roundsFlag === -1 ? undefined : Number(process.argv[roundsFlag + 1]);
const VALUE_FLAGS = new Set(['--baseline', '--seconds', '--rounds']);
const mode = process.argv.slice(2).find((arg, index, args) => !arg.startsWith('--') && !VALUE_FLAGS.has(args[index - 1] ?? ''));
if (mode === 'sessions') {
  const { runSessionBench } = await import('./session-bench.js');
  await runSessionBench(REPO_ROOT, baselineRoot === undefined ? undefined : resolve(baselineRoot), rounds);
} else if (mode === 'tls') {
  const { runGatewayTlsBench } = await import('./gateway-tls-bench.js');
  await runGatewayTlsBench();
} else if (mode === 'flood') {
  const { runSessionFloodBench } = await import('./session-flood-bench.js');
  await runSessionFloodBench(REPO_ROOT, baselineRoot === undefined ? undefined : resolve(baselineRoot));
} else if (mode === 'idle') {
  const { runIdleBench } = await import('./idle-bench.js');
  await runIdleBench(REPO_ROOT, baselineRoot === undefined ? undefined : resolve(baselineRoot), seconds);
} else if (mode === undefined || mode === 'http') {
  await runHttpBench(baselineRoot === undefined ? undefined : resolve(baselineRoot));
} else {
  console.error(`Unknown bench "${mode}". Use: npm run bench [-- --baseline DIR]  |  npm run bench -- sessions [--baseline DIR] [--rounds N]  |  npm run bench -- tls  |  npm run bench -- flood [--baseline DIR]  |  npm run bench -- idle [--seconds N] [--baseline DIR]`);
  process.exitCode = 1;
}
