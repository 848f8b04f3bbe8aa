/** Checks on a test gateway's backend connections once a scenario is over. */
import { expect } from 'vitest';
import { eventually, type Harness } from './gateway-harness.js';

/** Every server's pooled connections are back, with no request left on any undici client. */
export async function expectNothingUnderWay(harness: Harness | undefined): Promise<void> {
  if (!harness) return;
  await eventually(() => {
    for (const cluster of harness.gateway.clusters.values()) {
      for (const server of cluster.servers.values()) expect(server.connections.requestsUnderWay, `${cluster.id}/${server.id}`).toBe(0);
    }
  });
}
