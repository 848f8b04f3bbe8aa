/**
 * `npm run bench -- tls`: what HTTPS and compression cost through the real gateway, against plain
 * HTTP in the same run. One gateway process with a plain and an HTTPS listener, and two clusters
 * on the same backend told apart by host name: one forwards as it is, one compresses.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../demo/free-port.js';
import { makeCertificate } from '../support/test-certificates.js';
import { startBenchBackend } from './bench-backend.js';
import { startGatewayProcess } from './gateway-process.js';
import { hasCommand, runWrk, type LoadResult } from './wrk.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DURATION_SEC = 8;
const WARM_UP_SEC = 2;
const CONNECTIONS = 50;
/** Every request keeps one session, as a browser would. */
const CLIENT_IP_SESSIONS = { sessionMethod: 'client-ip' };

export async function runGatewayTlsBench(): Promise<void> {
  if (!hasCommand('wrk')) {
    console.log('wrk is missing: install it (Debian: apt-get install wrk) and run again.');
    process.exitCode = 1;
    return;
  }
  const workDir = mkdtempSync(join(tmpdir(), 'switchboard-tls-bench-'));
  const backend = await startBenchBackend();
  const [httpPort, httpsPort, adminPort] = [await freePort(), await freePort(), await freePort()];
  const certificate = makeCertificate(workDir, { commonName: 'bench.test', dnsNames: ['bench.test', 'compressed.test'] });
  const backendUrl = `http://127.0.0.1:${backend.port}`;
  const gateway = await startGatewayProcess({
    repoRoot: REPO_ROOT,
    workDir,
    listenPort: httpPort,
    adminPort,
    backendUrl,
    config: {
      listeners: [
        { port: httpPort, host: '127.0.0.1' },
        { port: httpsPort, host: '127.0.0.1', tls: { certPath: certificate.certPath, keyPath: certificate.keyPath } },
      ],
      routes: [
        { host: '*', path: '/', cluster: 'plain' },
        { host: 'compressed.test', path: '/', cluster: 'compressed' },
      ],
      clusters: [
        { id: 'plain', name: 'Plain', ...CLIENT_IP_SESSIONS, servers: [{ id: 'backend', name: 'Backend', url: backendUrl }] },
        { id: 'compressed', name: 'Compressed', ...CLIENT_IP_SESSIONS, compression: { enabled: true }, servers: [{ id: 'backend', name: 'Backend', url: backendUrl }] },
      ],
    },
  });
  try {
    const http = `http://127.0.0.1:${httpPort}`;
    const https = `https://127.0.0.1:${httpsPort}`;
    console.log(`wrk -t1 -c${CONNECTIONS} -d${DURATION_SEC}s through one gateway process, ${process.arch}, Node ${process.version}\n`);
    const rows: [string, LoadResult][] = [];
    rows.push(['HTTP, small answer', await measure(`${http}/`)]);
    rows.push(['HTTPS, small answer (keep-alive)', await measure(`${https}/`)]);
    rows.push(['HTTP, 16 KB page', await measure(`${http}/page`, ['Accept-Encoding: gzip, br'])]);
    rows.push(['HTTP, 16 KB page, gzip', await measure(`${http}/page`, ['Host: compressed.test', 'Accept-Encoding: gzip'])]);
    rows.push(['HTTP, 16 KB page, brotli', await measure(`${http}/page`, ['Host: compressed.test', 'Accept-Encoding: gzip, br'])]);
    rows.push(['HTTPS, 16 KB page, brotli', await measure(`${https}/page`, ['Host: compressed.test', 'Accept-Encoding: gzip, br'])]);
    printTable(rows);
  } finally {
    await gateway.close();
    await backend.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

async function measure(url: string, headers: string[] = []): Promise<LoadResult> {
  await runWrk(url, { durationSec: WARM_UP_SEC, connections: CONNECTIONS, headers });
  return runWrk(url, { durationSec: DURATION_SEC, connections: CONNECTIONS, headers });
}

function printTable(rows: [string, LoadResult][]): void {
  const plainSmall = rows[0]![1].requestsPerSec;
  const plainPage = rows[2]![1].requestsPerSec;
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`${'target'.padEnd(width)}     req/s   p99 latency   failures   vs plain HTTP`);
  for (const [label, result] of rows) {
    const baseline = label.includes('page') ? plainPage : plainSmall;
    console.log(
      `${label.padEnd(width)}   ${result.requestsPerSec.toFixed(0).padStart(7)}   ${`${result.p99Ms.toFixed(2)} ms`.padStart(11)}   ${String(result.failures).padStart(8)}   ${(result.requestsPerSec / baseline).toFixed(2).padStart(13)}`,
    );
  }
}
