/** One active health check of one server: an HTTP GET (online below 500) or a TCP connect. */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { withoutBrackets } from '../config/address-syntax.js';
import type { HealthCheckConfig } from '../config/config-schema.js';

export type ProbeResult = { ok: true } | { ok: false; reason: string };

/** `agent` is the server's own, so that an https backend is trusted exactly as for traffic. */
export function probe(target: URL, check: HealthCheckConfig, agent: http.Agent): Promise<ProbeResult> {
  return check.type === 'tcp' ? probeTcp(target, check.timeoutMs) : probeHttp(target, check, agent);
}

function portOf(target: URL): number {
  if (target.port) return Number(target.port);
  return target.protocol === 'https:' ? 443 : 80;
}

function hostnameOf(target: URL): string {
  return withoutBrackets(target.hostname);
}

function probeTcp(target: URL, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostnameOf(target), port: portOf(target) });
    const timer = setTimeout(() => finish({ ok: false, reason: `no connection within ${timeoutMs} ms` }), timeoutMs);
    function finish(result: ProbeResult): void {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    }
    socket.once('connect', () => finish({ ok: true }));
    socket.once('error', (error) => finish({ ok: false, reason: error.message }));
  });
}

function probeHttp(target: URL, check: HealthCheckConfig, agent: http.Agent): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const client = target.protocol === 'https:' ? https : http;
    let settled = false;
    const request = client.request({
      host: hostnameOf(target),
      port: portOf(target),
      method: 'GET',
      path: check.path,
      headers: { host: check.host ?? target.host, 'user-agent': 'Switchboard-HealthCheck', connection: 'close' },
      agent,
    });
    const timer = setTimeout(() => finish({ ok: false, reason: `no answer within ${check.timeoutMs} ms` }), check.timeoutMs);
    function finish(result: ProbeResult): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(result);
    }
    request.once('response', (response) => {
      response.resume();
      const status = response.statusCode ?? 0;
      finish(status < 500 ? { ok: true } : { ok: false, reason: `GET ${check.path} answered ${status}` });
    });
    request.once('error', (error) => finish({ ok: false, reason: error.message }));
    request.end();
  });
}
