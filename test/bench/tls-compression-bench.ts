/**
 * `npx tsx test/bench/tls-compression-bench.ts`: what HTTPS and compression cost compared with plain
 * HTTP, through a minimal forwarder built from the gateway's own modules (http-proxy-3, the HTTPS
 * listener, the backend agents, sendProxyResponse). The backend runs on its own thread, wrk is the
 * load generator; the numbers are ratios on this machine, not absolute claims.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import zlib from 'node:zlib';
import { createProxyServer } from 'http-proxy-3';
import { createBackendAgent } from '../../proxy/forwarding/backend-tls.js';
import { sendProxyResponse } from '../../proxy/forwarding/compression.js';
import { DEFAULT_COMPRESSIBLE_TYPES, type CompressionConfig } from '../../proxy/config/config-schema.js';
import { createHttpsListenerServer } from '../../proxy/listeners/https-listener.js';
import { loadListenerTls } from '../../proxy/listeners/tls-certificates.js';
import { makeCertificate } from '../support/test-certificates.js';
import { hasCommand, runWrk, type LoadResult } from './wrk.js';

const DURATION_SEC = Number(process.env.BENCH_SECONDS ?? 3);
const CONNECTIONS = 32;

/** Plain-JS backend on a worker thread: a small JSON reply and a 16 KB HTML page, over HTTP and HTTPS. */
const BACKEND_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const https = require('node:https');
const small = JSON.stringify({ ok: true, server: 'bench', items: [1, 2, 3] });
const page = '<!doctype html><html><body>' + Array.from({ length: 400 }, (_, i) => '<p class="row">Row ' + i + ' of the report</p>').join('') + '</body></html>';
const handler = (req, res) => {
  if (req.url.startsWith('/page')) { res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(page) }); res.end(page); }
  else { res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(small) }); res.end(small); }
};
const plain = http.createServer({ keepAliveTimeout: 60000 }, handler).listen(0, '127.0.0.1', () => {
  const secure = https.createServer({ cert: workerData.cert, key: workerData.key, keepAliveTimeout: 60000 }, handler).listen(0, '127.0.0.1', () => {
    parentPort.postMessage({ http: plain.address().port, https: secure.address().port, pageBytes: Buffer.byteLength(page) });
  });
});
`;

interface Case {
  url: string;
  headers?: string[];
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

function run(benchCase: Case, durationSec: number): Promise<LoadResult> {
  return runWrk(benchCase.url, { durationSec, connections: CONNECTIONS, headers: benchCase.headers ?? [] });
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function main(): Promise<void> {
  if (!hasCommand('wrk')) {
    console.log('wrk is missing: install it (Debian: apt-get install wrk) and run again.');
    process.exitCode = 1;
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-tls-bench-'));
  const cleanups: (() => Promise<unknown> | void)[] = [() => rmSync(dir, { recursive: true, force: true })];
  try {
    const certificate = makeCertificate(dir, { commonName: 'localhost', dnsNames: ['localhost'] });
    const worker = new Worker(BACKEND_SOURCE, { eval: true, workerData: { cert: readFileSync(certificate.certPath), key: readFileSync(certificate.keyPath) } });
    cleanups.push(() => worker.terminate());
    const backend = await new Promise<{ http: number; https: number; pageBytes: number }>((resolve) => worker.once('message', resolve));

    const httpTarget = `http://127.0.0.1:${backend.http}`;
    const httpsTarget = `https://localhost:${backend.https}`;
    const compression: CompressionConfig = { enabled: true, minBytes: 1024, types: [...DEFAULT_COMPRESSIBLE_TYPES] };

    // One forwarder, three front doors: plain HTTP, HTTPS (HTTP/1.1), and plain HTTP to an HTTPS backend.
    const httpAgent = createBackendAgent({ url: httpTarget });
    const httpsAgent = createBackendAgent({ url: httpsTarget, tlsFingerprint: certificate.fingerprint256 });
    cleanups.push(() => httpAgent.destroy(), () => httpsAgent.destroy());
    const proxy = createProxyServer({ selfHandleResponse: true });
    proxy.on('proxyRes', (proxyRes, req, res) =>
      sendProxyResponse(req, proxyRes, res as http.ServerResponse, req.headers['x-bench-compress'] === 'on' ? compression : undefined),
    );
    const forward = (target: string, agent: http.Agent) => (req: http.IncomingMessage, res: http.ServerResponse) =>
      void proxy.web(req, res, { target, agent }, () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });

    const plainServer = http.createServer(forward(httpTarget, httpAgent));
    const toHttpsBackend = http.createServer(forward(httpsTarget, httpsAgent));
    const tls = loadListenerTls({ pfxPath: certificate.pfxPath, passphrase: certificate.passphrase }, { baseDir: dir, field: 'listeners[0].tls' });
    const { server: secureServer } = createHttpsListenerServer(tls, forward(httpTarget, httpAgent));
    const ports: number[] = [];
    for (const server of [plainServer, secureServer, toHttpsBackend] as (http.Server | https.Server)[]) {
      server.keepAliveTimeout = 60_000;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      ports.push((server.address() as net.AddressInfo).port);
      cleanups.push(() => {
        server.closeAllConnections();
        return new Promise((resolve) => server.close(resolve));
      });
    }
    const [plainPort, securePort, toHttpsPort] = ports as [number, number, number];

    const sizes = await measureSizes(plainPort);
    console.log(`HTML page of ${backend.pageBytes} B on the wire: identity ${sizes.identity} B, gzip ${sizes.gzip} B, br ${sizes.br} B`);
    console.log(`wrk: ${CONNECTIONS} connections; forwarder and backend on separate threads, sharing the machine's cores with wrk`);

    // The machine is shared (wrk, forwarder, backend, and whatever else runs): each comparison
    // alternates its two cases for several rounds and reports the median ratio, which drifting
    // background load disturbs far less than one long run per case would.
    const url = (secure: boolean, port: number, path: string): string => `${secure ? 'https' : 'http'}://127.0.0.1:${port}${path}`;
    const comparisons: { label: string; a: Case; b: Case }[] = [
      { label: 'HTTPS (TLS 1.3, keep-alive) vs HTTP, small JSON', a: { url: url(true, securePort, '/small') }, b: { url: url(false, plainPort, '/small') } },
      {
        label: 'HTTPS with a new handshake per request vs HTTP with a new connection per request',
        a: { url: url(true, securePort, '/small'), headers: ['Connection: close'] },
        b: { url: url(false, plainPort, '/small'), headers: ['Connection: close'] },
      },
      { label: 'HTTPS backend (fingerprint agent) vs HTTP backend, small JSON', a: { url: url(false, toHttpsPort, '/small') }, b: { url: url(false, plainPort, '/small') } },
      { label: 'gzip vs uncompressed, 16 KB page', a: { url: url(false, plainPort, '/page'), headers: ['Accept-Encoding: gzip', 'X-Bench-Compress: on'] }, b: { url: url(false, plainPort, '/page'), headers: ['Accept-Encoding: gzip', 'X-Bench-Compress: off'] } },
      { label: 'brotli q4 vs uncompressed, 16 KB page', a: { url: url(false, plainPort, '/page'), headers: ['Accept-Encoding: br', 'X-Bench-Compress: on'] }, b: { url: url(false, plainPort, '/page'), headers: ['Accept-Encoding: br', 'X-Bench-Compress: off'] } },
      { label: 'HTTPS + brotli q4 vs plain HTTP uncompressed, 16 KB page', a: { url: url(true, securePort, '/page'), headers: ['Accept-Encoding: br', 'X-Bench-Compress: on'] }, b: { url: url(false, plainPort, '/page'), headers: ['Accept-Encoding: br', 'X-Bench-Compress: off'] } },
    ];
    console.log(`median of ${ROUNDS} alternating rounds of ${DURATION_SEC} s each; ratio = first case's req/s ÷ second case's\n`);
    for (const comparison of comparisons) {
      await run(comparison.a, 1);
      await run(comparison.b, 1);
      const a: LoadResult[] = [];
      const b: LoadResult[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        a.push(await run(comparison.a, DURATION_SEC));
        b.push(await run(comparison.b, DURATION_SEC));
      }
      const ratio = median(a.map((result, i) => result.requestsPerSec / b[i]!.requestsPerSec));
      const suspect = [...a, ...b].some((result) => result.failures > 0) ? '  (some requests failed: suspect)' : '';
      console.log(
        `${comparison.label}\n  ${median(a.map((r) => r.requestsPerSec)).toFixed(0)} vs ${median(b.map((r) => r.requestsPerSec)).toFixed(0)} req/s, ` +
          `p99 ${median(a.map((r) => r.p99Ms)).toFixed(1)} vs ${median(b.map((r) => r.p99Ms)).toFixed(1)} ms, ratio ${ratio.toFixed(2)}${suspect}`,
      );
    }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

async function measureSizes(port: number): Promise<{ identity: number; gzip: number; br: number }> {
  const fetchSize = (encoding: string): Promise<number> =>
    new Promise((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: '/page', headers: { 'accept-encoding': encoding, 'x-bench-compress': 'on' }, agent: false }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const body = Buffer.concat(chunks);
            // Decoding proves the forwarder produced a real stream of that encoding.
            if (encoding === 'gzip') zlib.gunzipSync(body);
            if (encoding === 'br') zlib.brotliDecompressSync(body);
            resolve(body.length);
          });
        })
        .on('error', reject);
    });
  return { identity: await fetchSize('identity'), gzip: await fetchSize('gzip'), br: await fetchSize('br') };
}

await main();
