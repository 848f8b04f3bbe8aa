/**
 * An upload may take as long as it keeps moving: the listeners leave Node's own five-minute limit
 * on receiving a whole request off, which would otherwise cut a large, slow upload with a 408
 * whatever `clientBodyIdleTimeoutSec` says.
 */
import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../demo/free-port.js';
import { closeListener, openListener } from '../../proxy/listeners/open-listener.js';
import { silentLogger } from '../../proxy/logs/gateway-logger.js';
import { listenerSchema } from '../../proxy/config/config-schema.js';

describe('a plain HTTP listener', () => {
  it('has no limit on the time to receive a whole request, and keeps the 30 s limit on its headers', async () => {
    const config = listenerSchema.parse({ port: await freePort(), host: '127.0.0.1' });
    const handlers = { request: () => {}, upgrade: () => {}, admitConnection: () => true };
    const listener = await openListener(config, null, handlers, silentLogger);
    try {
      expect(listener.status.listening).toBe(true);
      const server = listener.server as http.Server;
      expect(server.requestTimeout).toBe(0);
      expect(server.headersTimeout).toBe(30_000);
    } finally {
      await closeListener(listener, 0);
    }
  });
});
