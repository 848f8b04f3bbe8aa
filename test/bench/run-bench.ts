/**
 * `npm run bench`: throughput and p99 latency of one small backend measured directly, through the
 * Switchboard gateway (sticky steady state) and through nginx, HAProxy and Caddy where installed,
 * in the same run.
 * `npm run bench -- --baseline DIR`: the same, plus the gateway of another checkout (DIR, with its
 * own node_modules) measured alternately with this one, for an A/B comparison of a change.
 * `npm run bench -- sessions [--baseline DIR] [--rounds N]`: memory and event-loop pauses of a million live sessions.
 * `npm run bench -- tls`: what HTTPS and compression cost through the gateway, against plain HTTP.
 * `npm run bench -- flood [--baseline DIR]`: what a flood of cookie-less requests costs the gateway in memory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../demo/free-port.js';
import { startBenchBackend } from './bench-backend.js';
import { startGatewayProcess } from './gateway-process.js';
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
];

interface Measurement {
  label: string;
  result: LoadResult;
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

    const measureGateway = async (repoRoot: string, label: string): Promise<number> => {
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
      measurements.push({ label, result: await measure(gatewayUrl, [`Cookie: ${cookie}`]) });
      const sessions = await liveSessions(gateway.adminUrl, gateway.token);
      await gateway.close();
      cleanups.pop();
      return sessions;
    };
    const sessions = await measureGateway(REPO_ROOT, 'switchboard (sticky)');
    if (baselineRoot) {
      // Alternating the two evens out drift in the machine's speed over the run.
      await measureGateway(baselineRoot, 'baseline (sticky)');
      await measureGateway(REPO_ROOT, 'switchboard (sticky) 2');
      await measureGateway(baselineRoot, 'baseline (sticky) 2');
    }

    for (const reference of REFERENCES) {
      if (!hasCommand(reference.command)) {
        console.log(`${reference.command} is not installed: skipping it (Debian: apt-get install ${reference.command}).`);
        continue;
      }
      const proxy = await reference.start(join(workDir, reference.command), referencePort, backend.port);
      cleanups.push(() => proxy.close());
      measurements.push({ label: reference.label, result: await measure(`http://127.0.0.1:${referencePort}/`) });
      await proxy.close();
      cleanups.pop();
    }

    printTable(measurements);
    console.log(`\nLive sessions in the gateway after its run: ${sessions} (1 means every request stuck to the session of the first).`);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  }
}

async function measure(url: string, headers: string[] = []): Promise<LoadResult> {
  await runWrk(url, { durationSec: WARM_UP_SEC, connections: CONNECTIONS, headers });
  return runWrk(url, { durationSec: DURATION_SEC, connections: CONNECTIONS, headers });
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
  const rows = [['target', 'req/s', 'p99 latency', 'requests', 'failures']];
  for (const { label, result } of measurements) {
    rows.push([label, result.requestsPerSec.toFixed(0), `${result.p99Ms.toFixed(2)} ms`, `${result.requests}`, `${result.failures}`]);
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const [index, row] of rows.entries()) {
    console.log(row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('   '));
    if (index === 0) console.log(widths.map((width) => '-'.repeat(width)).join('   '));
  }
  const rate = (label: string): number | undefined => {
    const rates = measurements.filter((m) => m.label.startsWith(label)).map((m) => m.result.requestsPerSec);
    return rates.length === 0 ? undefined : rates.reduce((sum, value) => sum + value, 0) / rates.length;
  };
  const gateway = rate('switchboard');
  const baseline = rate('baseline');
  const direct = rate('direct');
  console.log('');
  if (gateway && direct) console.log(`switchboard / direct: ${(gateway / direct).toFixed(2)}`);
  for (const reference of REFERENCES) {
    const other = rate(reference.label);
    const goal = reference.command === 'nginx' ? '   (goal: at least 0.50)' : '';
    if (gateway && other) console.log(`switchboard / ${reference.command}: ${(gateway / other).toFixed(2)}${goal}`);
  }
  if (gateway && baseline) console.log(`switchboard / baseline: ${(gateway / baseline).toFixed(3)}   (mean of two runs each, alternated)`);
}

const baselineFlag = process.argv.indexOf('--baseline');
const baselineRoot = baselineFlag === -1 ? undefined : process.argv[baselineFlag + 1];
const roundsFlag = process.argv.indexOf('--rounds');
const rounds = roundsFlag === -1 ? undefined : Number(process.argv[roundsFlag + 1]);
const mode = process.argv.slice(2).find((arg, index, args) => !arg.startsWith('--') && args[index - 1] !== '--baseline' && args[index - 1] !== '--rounds');
if (mode === 'sessions') {
  const { runSessionBench } = await import('./session-bench.js');
  await runSessionBench(REPO_ROOT, baselineRoot === undefined ? undefined : resolve(baselineRoot), rounds);
} else if (mode === 'tls') {
  const { runGatewayTlsBench } = await import('./gateway-tls-bench.js');
  await runGatewayTlsBench();
} else if (mode === 'flood') {
  const { runSessionFloodBench } = await import('./session-flood-bench.js');
  await runSessionFloodBench(REPO_ROOT, baselineRoot === undefined ? undefined : resolve(baselineRoot));
} else if (mode === undefined || mode === 'http') {
  await runHttpBench(baselineRoot === undefined ? undefined : resolve(baselineRoot));
} else {
  console.error(`Unknown bench "${mode}". Use: npm run bench [-- --baseline DIR]  |  npm run bench -- sessions [--baseline DIR] [--rounds N]  |  npm run bench -- tls  |  npm run bench -- flood [--baseline DIR]`);
  process.exitCode = 1;
}
