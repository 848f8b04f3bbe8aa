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
import { createBackendAgent } from '../../proxy/backend-tls.js';
import { sendProxyResponse } from '../../proxy/compression.js';
import { DEFAULT_COMPRESSIBLE_TYPES, type CompressionConfig } from '../../proxy/config-schema.js';
import { createHttpsListenerServer } from '../../proxy/https-listener.js';
import { loadListenerTls } from '../../proxy/tls-certificates.js';
import { makeCertificate } from '../support/test-certificates.js';
import { hasCommand, runWrk, type LoadResult } from './wrk.js';

const DURATION_SEC = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 32;

/** Plain-JS backend on a worker thread: a small JSON reply and a 20 KB HTML page, over HTTP and HTTPS. */
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

interface Row {
  label: string;
  result: LoadResult;
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
    console.log(`20 KB page (${backend.pageBytes} B) on the wire: identity ${sizes.identity} B, gzip ${sizes.gzip} B, br ${sizes.br} B`);
    console.log(`wrk: ${CONNECTIONS} connections, ${DURATION_SEC} s per case, forwarder and backend on separate threads, 2 cores shared with wrk\n`);

    const rows: Row[] = [];
    const measure = async (label: string, url: string, headers: string[] = []): Promise<LoadResult> => {
      await runWrk(url, { durationSec: 1, connections: CONNECTIONS, headers });
      const result = await runWrk(url, { durationSec: DURATION_SEC, connections: CONNECTIONS, headers });
      rows.push({ label, result });
      console.log(`${label.padEnd(58)} ${result.requestsPerSec.toFixed(0).padStart(7)} req/s  p99 ${result.p99Ms.toFixed(1).padStart(6)} ms${result.failures ? `  (${result.failures} failures!)` : ''}`);
      return result;
    };

    const plainSmall = await measure('small JSON, HTTP → HTTP (baseline)', `http://127.0.0.1:${plainPort}/small`);
    const tlsSmall = await measure('small JSON, HTTPS (TLS 1.3, keep-alive) → HTTP', `https://127.0.0.1:${securePort}/small`);
    const plainClose = await measure('small JSON, HTTP, new connection per request', `http://127.0.0.1:${plainPort}/small`, ['Connection: close']);
    const tlsClose = await measure('small JSON, HTTPS, new TLS handshake per request', `https://127.0.0.1:${securePort}/small`, ['Connection: close']);
    const backendTls = await measure('small JSON, HTTP → HTTPS backend (fingerprint, keep-alive)', `http://127.0.0.1:${toHttpsPort}/small`);
    const pagePlain = await measure('20 KB page, no compression', `http://127.0.0.1:${plainPort}/page`, ['Accept-Encoding: gzip, br', 'X-Bench-Compress: off']);
    const pageGzip = await measure('20 KB page, gzip', `http://127.0.0.1:${plainPort}/page`, ['Accept-Encoding: gzip', 'X-Bench-Compress: on']);
    const pageBr = await measure('20 KB page, brotli q4', `http://127.0.0.1:${plainPort}/page`, ['Accept-Encoding: br', 'X-Bench-Compress: on']);
    const pageTlsBr = await measure('20 KB page, HTTPS + brotli q4', `https://127.0.0.1:${securePort}/page`, ['Accept-Encoding: br', 'X-Bench-Compress: on']);

    const ratio = (a: LoadResult, b: LoadResult): string => (a.requestsPerSec / b.requestsPerSec).toFixed(2);
    console.log('\nThroughput ratios (1.00 = same as the baseline named):');
    console.log(`  HTTPS keep-alive / HTTP:                       ${ratio(tlsSmall, plainSmall)}`);
    console.log(`  HTTPS new handshake / HTTP new connection:     ${ratio(tlsClose, plainClose)}`);
    console.log(`  HTTPS backend / HTTP backend:                  ${ratio(backendTls, plainSmall)}`);
    console.log(`  gzip / no compression (20 KB page):            ${ratio(pageGzip, pagePlain)}`);
    console.log(`  brotli / no compression (20 KB page):          ${ratio(pageBr, pagePlain)}`);
    console.log(`  HTTPS + brotli / plain uncompressed page:      ${ratio(pageTlsBr, pagePlain)}`);
    const failures = rows.filter((row) => row.result.failures > 0);
    if (failures.length > 0) console.log(`\nSuspect runs (failures): ${failures.map((row) => row.label).join('; ')}`);
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
