/**
 * `npx tsx test/bench/publishing-bench.ts`: what path mapping and response rewriting add per
 * request, in nanoseconds, for the cases that must cost nearly nothing (no mapping, no rewritable
 * header) and for the ones that do work (a mapped path, a redirect, cookies).
 */
import type http from 'node:http';
import { createPathMapping, toBackendUrl } from '../../proxy/routing/path-mapping.js';
import { hasRewritableHeaders, rewriteResponseHeaders, type ResponseRewrite } from '../../proxy/forwarding/response-rewrite.js';
import { RouteTable } from '../../proxy/routing/route-table.js';

const ROUNDS = 2_000_000;

function nsPerCall(label: string, body: (i: number) => unknown): void {
  let sink = 0;
  for (let i = 0; i < ROUNDS / 10; i++) sink += body(i) ? 1 : 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < ROUNDS; i++) sink += body(i) ? 1 : 0;
  const ns = Number(process.hrtime.bigint() - start) / ROUNDS;
  console.log(`${label.padEnd(58)} ${ns.toFixed(1).padStart(7)} ns${sink < 0 ? '' : ''}`);
}

const plainRoutes = [
  { host: '*', path: '/', cluster: 'web' },
  { host: '*', path: '/crm/', cluster: 'crm' },
  { host: 'intranet.corp.local', path: '/', cluster: 'web' },
  { host: 'intranet.corp.local', path: '/shop/', cluster: 'shop' },
];
const unmapped = new RouteTable(plainRoutes);
const mapped = new RouteTable([...plainRoutes, { host: 'intranet.corp.local', path: '/wiki/', backendPath: '/', cluster: 'wiki' }]);
const wiki = createPathMapping('/wiki/', '/')!;

const rewrite: ResponseRewrite = {
  secure: true,
  publicHost: 'intranet.corp.local',
  mapping: wiki,
  backend: new URL('http://10.0.0.5:8080'),
  sentHost: 'intranet.corp.local',
};
const plainHeaders: http.IncomingHttpHeaders = { 'content-type': 'text/html', 'content-length': '1024', date: 'Mon, 30 Nov 2026 04:00:00 GMT' };

console.log(`${ROUNDS} calls each, Node ${process.version}\n`);
nsPerCall('route match, table without mappings', () => unmapped.match('intranet.corp.local', '/page?x=1'));
nsPerCall('route match, same table plus one mapped route', () => mapped.match('intranet.corp.local', '/page?x=1'));
nsPerCall('route match, the mapped route', () => mapped.match('intranet.corp.local', '/wiki/page?x=1'));
nsPerCall('request path mapped (/wiki/page?x=1 → /page?x=1)', () => toBackendUrl('/wiki/page?x=1', wiki));
nsPerCall('response without rewritable headers (the check only)', () => hasRewritableHeaders(plainHeaders));
nsPerCall('response with Location at the backend, rewritten', () => {
  const headers: http.IncomingHttpHeaders = { location: 'http://10.0.0.5:8080/login?next=%2F' };
  rewriteResponseHeaders(headers, rewrite);
  return headers.location;
});
nsPerCall('response with two cookies, Path mapped, Domain dropped', () => {
  const headers: http.IncomingHttpHeaders = { 'set-cookie': ['sid=abc; Path=/; Domain=10.0.0.5; HttpOnly', 'theme=dark'] };
  rewriteResponseHeaders(headers, rewrite);
  return headers['set-cookie'];
});
nsPerCall('response with one cookie, no mapping, nothing to change', () => {
  const headers: http.IncomingHttpHeaders = { 'set-cookie': ['sid=abc; Path=/; HttpOnly'] };
  rewriteResponseHeaders(headers, { ...rewrite, mapping: undefined });
  return headers['set-cookie'];
});
