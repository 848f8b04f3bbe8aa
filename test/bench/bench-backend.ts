/** The benchmark's backend: the smallest useful web app, answering every request with a short body. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BenchBackend {
  readonly port: number;
  close(): Promise<void>;
}

const BODY = 'hello from the backend\n';

export async function startBenchBackend(): Promise<BenchBackend> {
  const server = createServer((_req, res) => {
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
