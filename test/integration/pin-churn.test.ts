/**
 * A client connection whose requests keep landing on other servers (no session cookie, Windows
 * authentication each time) is re-pinned each time: what the old pins held must be let go.
 */
import { describe, expect, it } from 'vitest';
import { startGateway } from '../support/gateway-harness.js';
import { stopAfterEach } from '../support/fixtures.js';
import { RawConnection } from '../support/raw-http.js';
import { startBackends } from '../support/test-backend.js';

const t = stopAfterEach();

const NTLM_NEGOTIATE = 'TlRMTVNTUAABAAAAB4IIAAAAAAAAAAAAAAAAAAAAAAA=';

describe('pin churn on one connection', () => {
  it('keeps nothing of the pins a connection has moved away from', async () => {
    const backends = await startBackends('a', 'b');
    t.backends = backends;
    t.harness = await startGateway([
      { id: 'web', name: 'Web', balancing: 'round-robin', servers: backends.map((b) => ({ id: b.name, name: b.name, url: b.url })) },
    ]);
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(`${warning.name}: ${warning.message}`);
    };
    process.on('warning', onWarning);
    const connection = await RawConnection.open(t.harness.port);
    try {
      const served: string[] = [];
      for (let i = 0; i < 30; i++) {
        connection.write(`GET /p/${i} HTTP/1.1\r\nHost: app.test\r\nAuthorization: NTLM ${NTLM_NEGOTIATE}\r\n\r\n`);
        const reply = await connection.response();
        expect(reply.status).toBe(200);
        served.push((JSON.parse(reply.body) as { backend: string }).backend);
      }
      // Every request moved the connection to the other server.
      expect(new Set(served)).toEqual(new Set(['a', 'b']));
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((warning) => warning.startsWith('MaxListenersExceededWarning'))).toEqual([]);
      const state = await t.harness.control.getState();
      expect(state.clusters[0]!.servers.map((server) => server.pinnedConnections).reduce((a, b) => a + b)).toBe(1);
    } finally {
      connection.close();
      process.off('warning', onWarning);
    }
  });
});
