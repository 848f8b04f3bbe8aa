/**
 * Browsers carry two sites of one wildcard certificate over one HTTP/2 connection (connection
 * coalescing). Windows authentication to one site must not cost the other its pinned connection.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import http2 from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../demo/free-port.js';
import { startGateway } from '../support/gateway-harness.js';
import { stopAfterEach } from '../support/fixtures.js';
import { makeCertificate } from '../support/test-certificates.js';
import { startBackends } from '../support/test-backend.js';

const t = stopAfterEach();

const NTLM = 'NTLM TlRMTVNTUAABAAAAB4IIAAAAAAAAAAAAAAAAAAAAAAA=';

function get(session: http2.ClientHttp2Session, authority: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':path': path, ':authority': authority, authorization: NTLM });
    let status = 0;
    let body = '';
    stream.on('response', (headers) => (status = Number(headers[':status'])));
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (body += chunk));
    stream.on('end', () => resolve({ status, body }));
    stream.on('error', reject);
  });
}

describe('pinning across sites on one HTTP/2 connection', () => {
  it('a request to the second site leaves the first site’s pinned request alone', async () => {
    const cert = makeCertificate(mkdtempSync(join(tmpdir(), 'sb-h2-sites-')), { commonName: 'a.test' });
    const [one, two] = await startBackends('one', 'two');
    t.backends = [one!, two!];
    one!.handlers.set('/slow', (_req, res) => {
      setTimeout(() => res.end('slow answer'), 600);
    });
    const port = await freePort();
    t.harness = await startGateway(
      [
        { id: 'a', name: 'A', servers: [{ id: 'one', name: 'One', url: one!.url }] },
        { id: 'b', name: 'B', servers: [{ id: 'two', name: 'Two', url: two!.url }] },
      ],
      {
        listeners: [{ port, host: '127.0.0.1', tls: { certPath: cert.certPath, keyPath: cert.keyPath, http2: true } }],
        routes: [
          { host: 'a.test', path: '/', cluster: 'a' },
          { host: 'b.test', path: '/', cluster: 'b' },
        ],
      },
    );
    const session = http2.connect(`https://127.0.0.1:${port}`, { ca: readFileSync(cert.certPath), servername: 'a.test' });
    session.on('error', () => undefined);
    try {
      const slow = get(session, 'a.test', '/slow');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const other = await get(session, 'b.test', '/');
      expect(other.status).toBe(200);
      expect(await slow).toEqual({ status: 200, body: 'slow answer' });
      const servers = (await t.harness.control.getState()).clusters.map((cluster) => cluster.servers[0]!.pinnedConnections);
      expect(servers).toEqual([1, 1]);
    } finally {
      session.close();
    }
  });
});
