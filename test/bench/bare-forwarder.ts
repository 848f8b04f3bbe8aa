/**
 * The floor of a Node gateway, as a reference in `npm run bench`: Node's HTTP server handing every
 * request to an undici pool of the backend's connections and relaying the answer, with no routing,
 * sessions, rules, counters or header rewriting. How far the gateway is from it is the cost of its
 * own work; how far it is from nginx is mostly Node's.
 *
 *   node --import tsx test/bench/bare-forwarder.ts <listen port> <backend port>
 */
import http from 'node:http';
import { Pool, type Dispatcher } from 'undici';
import { HOP_BY_HOP_HEADERS } from '../../proxy/forwarding/hop-by-hop.js';
import { startReferenceProcess, type ReferenceProxy } from './reference-process.js';

export function startBareForwarder(listenPort: number, backendPort: number): Promise<ReferenceProxy> {
  const script = new URL(import.meta.url).pathname;
  return startReferenceProcess('bare forwarder', process.execPath, ['--import', 'tsx', script, String(listenPort), String(backendPort)], listenPort);
}

class Relay implements Dispatcher.DispatchHandler {
  constructor(private readonly res: http.ServerResponse) {}

  /** Present so that undici takes this for a handler of its current interface. */
  onRequestStart(): void {}

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>): void {
    const out: http.OutgoingHttpHeaders = {};
    for (const name in headers) if (!HOP_BY_HOP_HEADERS.has(name)) out[name] = headers[name];
    this.res.writeHead(statusCode, out);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (!this.res.write(chunk)) {
      controller.pause();
      this.res.once('drain', () => controller.resume());
    }
  }

  onResponseEnd(): void {
    this.res.end();
  }

  onResponseError(): void {
    this.res.destroy();
  }
}

function serve(listenPort: number, backendPort: number): void {
  const pool = new Pool(`http://127.0.0.1:${backendPort}`, { connections: 256, pipelining: 1 });
  http
    .createServer((req, res) => {
      const headers: string[] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        if (!HOP_BY_HOP_HEADERS.has(req.rawHeaders[i]!.toLowerCase())) headers.push(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
      }
      pool.dispatch({ method: req.method ?? 'GET', path: req.url ?? '/', headers, body: req.method === 'GET' || req.method === 'HEAD' ? null : req }, new Relay(res));
    })
    .listen(listenPort, '127.0.0.1');
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) serve(Number(process.argv[2]), Number(process.argv[3]));
