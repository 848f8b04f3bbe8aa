/** The benchmark's backend: the smallest useful web app, answering every request with a short body. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BenchBackend {
  readonly port: number;
  close(): Promise<void>;
}

const BODY = 'hello from the backend\n';
/** A 16 KB HTML page at /page, for what compression costs and saves. */
const PAGE = `<!doctype html><html><body>${'<p class="row">Quarterly report, line item, amount and remarks</p>\n'.repeat(240)}</body></html>`.slice(0, 16_384);

export async function startBenchBackend(): Promise<BenchBackend> {
  const server = createServer((req, res) => {
    if (req.url === '/page') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(PAGE) });
      res.end(PAGE);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(BODY) });
    res.end(BODY);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
