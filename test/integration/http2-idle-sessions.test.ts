/**
 * An HTTP/2 client connection with no request open is closed after a few seconds, as an HTTP/1.1
 * one is: a pinned connection then no longer keeps a draining server draining for ever.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import http2 from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../demo/free-port.js';
import { eventually, startGateway } from '../support/gateway-harness.js';
import { stopAfterEach } from '../support/fixtures.js';
import { makeCertificate } from '../support/test-certificates.js';
import { startBackends } from '../support/test-backend.js';

const t = stopAfterEach();

function get(session: http2.ClientHttp2Session, path: string, authorization?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':path': path, ':authority': 'intranet.test', ...(authorization ? { authorization } : {}) });
    let body = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (body += chunk));
    stream.on('end', () => resolve(body));
    stream.on('error', reject);
  });
}

describe('idle HTTP/2 sessions', () => {
  it('closes an idle pinned HTTP/2 session and lets its pin go, but not a session with a request open', async () => {
    const cert = makeCertificate(mkdtempSync(join(tmpdir(), 'sb-h2-idle-')), { commonName: 'intranet.test' });
    const [backend] = await startBackends('one');
    t.backends = [backend!];
    backend!.handlers.set('/poll', (_req, res) => {
      setTimeout(() => res.end('polled'), 6500);
    });
    const port = await freePort();
    t.harness = await startGateway([{ id: 'web', name: 'Web', servers: [{ id: 'one', name: 'One', url: backend!.url }] }], {
      listeners: [{ port, host: '127.0.0.1', tls: { certPath: cert.certPath, keyPath: cert.keyPath, http2: true } }],
    });
    const connect = () => http2.connect(`https://127.0.0.1:${port}`, { ca: readFileSync(cert.certPath), servername: 'intranet.test' });
    const pinned = connect();
    const polling = connect();
    const closed = new Set<http2.ClientHttp2Session>();
    for (const session of [pinned, polling]) {
      session.on('close', () => closed.add(session));
      session.on('error', () => undefined);
    }
    try {
      await get(pinned, '/', 'NTLM TlRMTVNTUAABAAAAB4IIAAAAAAAAAAAAAAAAAAAAAAA=');
      const poll = get(polling, '/poll');
      const server = async () => (await t.harness!.control.getState()).clusters[0]!.servers[0]!;
      expect((await server()).pinnedConnections).toBe(1);
      await eventually(async () => expect((await server()).inflight).toBe(1));
      await eventually(() => expect(closed.has(pinned)).toBe(true), 9000);
      expect(closed.has(polling)).toBe(false);
      // The client may see its session close before the gateway's side has let the pin go.
      await eventually(async () => expect((await server()).pinnedConnections).toBe(0), 2000);
      // A request open past the idle limit keeps its session.
      expect(await poll).toBe('polled');
      await eventually(async () => expect(await server()).toMatchObject({ pinnedConnections: 0, inflight: 0 }), 3000);
    } finally {
      pinned.close();
      polling.close();
    }
  }, 20_000);
});
