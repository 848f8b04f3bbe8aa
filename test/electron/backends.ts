/** Tiny real HTTP backends on loopback, so the gateway's servers are genuinely online in these tests. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Backends {
  urls: string[];
  close(): Promise<void>;
}

export async function startBackends(count: number): Promise<Backends> {
  const servers = await Promise.all(
    Array.from({ length: count }, (_, index) => {
      const server = http.createServer((_request, response) => response.end(`backend ${index}`));
      return new Promise<http.Server>((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
    }),
  );
  return {
    urls: servers.map((server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    close: async () => {
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    },
  };
}
