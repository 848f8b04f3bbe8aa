/**
 * Request framing end to end: raw bytes into the gateway, and exactly the bytes a backend received
 * (and the requests it parsed from them) out, on the gateway's pooled backend connection.
 */
import http2 from 'node:http2';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../demo/free-port.js';
import { stopAfterEach } from '../support/fixtures.js';
import { startGateway, type Harness } from '../support/gateway-harness.js';
import { exchange, RawConnection } from '../support/raw-http.js';
import { RecordingBackend } from '../support/recording-backend.js';
import { startBackends } from '../support/test-backend.js';
import { makeCertificate } from '../support/test-certificates.js';

const t = stopAfterEach();
let backend: RecordingBackend | undefined;
afterEach(async () => {
  await backend?.stop();
  backend = undefined;
});

async function gatewayInFrontOfRecorder(extra: Parameters<typeof startGateway>[1] = {}): Promise<Harness> {
  backend = await new RecordingBackend().start();
  t.harness = await startGateway([{ id: 'web', name: 'Web', servers: [{ id: 'a', name: 'A', url: backend.url }] }], extra);
  return t.harness;
}

/**
 * The head the gateway sends for a request from 127.0.0.1: Host, the client's own `headers` in
 * their order, the forwarding headers, then the framing the gateway adds.
 */
/** After a HEAD the gateway closes the backend connection (see the first test). */
function forwardedHead(method: string, path: string, framing: string, headers = ''): string {
  return (
    `${method} ${path} HTTP/1.1\r\nhost: portal.test\r\nconnection: ${method === 'HEAD' ? 'close' : 'keep-alive'}\r\n${headers}x-forwarded-for: 127.0.0.1\r\nx-forwarded-proto: http\r\n` +
    `x-forwarded-host: portal.test\r\nx-real-ip: 127.0.0.1\r\n${framing}\r\n`
  );
}

/** The second user, on a connection of their own, whose request must reach the backend whole. */
const VICTIM = 'GET /victim HTTP/1.1\r\nHost: portal.test\r\nCookie: app=victim-session\r\nAuthorization: Basic dmljdGltOnNlY3JldA==\r\n\r\n';
const VICTIM_FORWARDED =
  'GET /victim HTTP/1.1\r\nhost: portal.test\r\nconnection: keep-alive\r\ncookie: app=victim-session\r\nauthorization: Basic dmljdGltOnNlY3JldA==\r\n' +
  'x-forwarded-for: 127.0.0.1\r\nx-forwarded-proto: http\r\nx-forwarded-host: portal.test\r\nx-real-ip: 127.0.0.1\r\n\r\n';

/** A request hidden in a body, which takes the next request on the connection as its own header. */
const SMUGGLED = 'GET /smuggled HTTP/1.1\r\nHost: portal.test\r\nX-Swallow: ';

async function victimRequest(port: number): Promise<{ status: number; body: string }> {
  const reply = await exchange(port, VICTIM);
  return { status: reply.status, body: reply.body };
}

describe('request bodies reach the backend framed', () => {
  it('a chunked body on GET, HEAD, DELETE, OPTIONS and TRACE is forwarded chunked, and the next user’s request stays whole', async () => {
    const harness = await gatewayInFrontOfRecorder();
    const chunk = `${SMUGGLED.length.toString(16)}\r\n${SMUGGLED}\r\n0\r\n\r\n`;
    let expected = '';
    for (const method of ['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE']) {
      const attack = await exchange(harness.port, `${method} /attack HTTP/1.1\r\nHost: portal.test\r\nTransfer-Encoding: chunked\r\n\r\n${chunk}`, { bodiless: method === 'HEAD' });
      expect(attack.status, method).toBe(200);
      const victim = await victimRequest(harness.port);
      expect(victim.status, method).toBe(200);
      expect(JSON.parse(victim.body), method).toEqual({ method: 'GET', url: '/victim', body: '' });
      expected += forwardedHead(method, '/attack', 'transfer-encoding: chunked\r\n') + chunk + VICTIM_FORWARDED;
    }
    // Two pooled connections carried all ten requests, byte for byte as sent, and the backend parsed
    // exactly those: the gateway closes a connection after a HEAD, so that a backend wrongly sending
    // a body there cannot have it read as the answer to the next request.
    expect(backend!.connections).toHaveLength(2);
    expect(backend!.connections[0]!.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /attack', 'GET /victim', 'HEAD /attack']);
    expect(backend!.allBytes).toBe(expected);
    expect(backend!.allRequests.map((r) => `${r.method} ${r.url} ${JSON.stringify(r.body)}`)).toEqual(
      ['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE'].flatMap((method) => [`${method} /attack ${JSON.stringify(SMUGGLED)}`, 'GET /victim ""']),
    );
  });

  it('accepts "chunked" in any case, and forwards it as "chunked"', async () => {
    const harness = await gatewayInFrontOfRecorder();
    const reply = await exchange(harness.port, 'GET /a HTTP/1.1\r\nHost: portal.test\r\nTransfer-Encoding: Chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n');
    expect(reply.status).toBe(200);
    expect(backend!.allBytes).toBe(`${forwardedHead('GET', '/a', 'transfer-encoding: chunked\r\n')}5\r\nhello\r\n0\r\n\r\n`);
  });

  it('keeps Content-Length when Connection names it, so the body stays framed', async () => {
    const harness = await gatewayInFrontOfRecorder();
    const body = SMUGGLED;
    const attack = await exchange(harness.port, `GET /attack HTTP/1.1\r\nHost: portal.test\r\nContent-Length: ${body.length}\r\nConnection: Content-Length\r\n\r\n${body}`);
    expect(attack.status).toBe(200);
    expect(JSON.parse((await victimRequest(harness.port)).body)).toMatchObject({ url: '/victim' });
    expect(backend!.allBytes).toBe(forwardedHead('GET', '/attack', `content-length: ${body.length}\r\n`) + body + VICTIM_FORWARDED);
    expect(backend!.allRequests.map((r) => r.url)).toEqual(['/attack', '/victim']);
  });

  it('refuses Transfer-Encoding from an HTTP/1.0 client and closes its connection; the backend gets nothing', async () => {
    const harness = await gatewayInFrontOfRecorder();
    const connection = await RawConnection.open(harness.port);
    try {
      connection.write(`GET /attack HTTP/1.0\r\nHost: portal.test\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n${SMUGGLED.length.toString(16)}\r\n${SMUGGLED}\r\n0\r\n\r\n`);
      const reply = await connection.response();
      expect(reply.status).toBe(400);
      expect(reply.body).toContain('HTTP/1.0');
      expect(await connection.closedWithin(5000)).toBe(true);
    } finally {
      connection.close();
    }
    expect((await victimRequest(harness.port)).status).toBe(200);
    expect(backend!.allBytes).toBe(VICTIM_FORWARDED);
  });

  it('refuses every Transfer-Encoding but "chunked" with 400, and what Node’s parser refuses too', async () => {
    const harness = await gatewayInFrontOfRecorder();
    const refused = [
      // Node's parser lets these through; the gateway refuses them.
      'Transfer-Encoding: gzip, chunked\r\n',
      'Transfer-Encoding: \r\n',
      'Transfer-Encoding: chunked, identity\r\nContent-Length: 5\r\n',
      'Transfer-Encoding: identity\r\n',
      'Transfer-Encoding: xchunked\r\n',
      // Node's parser (llhttp) already refuses these.
      'Transfer-Encoding: gzip\r\n',
      'Transfer-Encoding: chunked, chunked\r\n',
      'Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n',
      'Transfer-Encoding: chunked\r\nContent-Length: 5\r\n',
      'Content-Length: 5\r\nTransfer-Encoding: chunked\r\n',
      'Content-Length: 5\r\nContent-Length: 5\r\n',
      'Transfer-Encoding : chunked\r\n',
    ];
    for (const framing of refused) {
      const reply = await exchange(harness.port, `POST /attack HTTP/1.1\r\nHost: portal.test\r\n${framing}\r\n5\r\nhello\r\n0\r\n\r\n`);
      expect(reply.status, framing).toBe(400);
    }
    expect(backend!.connections).toEqual([]);
  });

  it('refuses header values that would split the request (bare CR, bare LF, NUL, a folded line) with 400; the backend gets nothing', async () => {
    const harness = await gatewayInFrontOfRecorder();
    const injections = [
      'X-Note: a\rTransfer-Encoding: chunked\r\n',
      'X-Note: a\nTransfer-Encoding: chunked\r\n',
      'X-Note: a\u0000b\r\n',
      'X-Note: a\r\n Transfer-Encoding: chunked\r\n',
    ];
    for (const header of injections) {
      const reply = await exchange(harness.port, `GET /attack HTTP/1.1\r\nHost: portal.test\r\n${header}\r\n${SMUGGLED}\r\n\r\n`);
      expect(reply.status, JSON.stringify(header)).toBe(400);
    }
    expect((await victimRequest(harness.port)).status).toBe(200);
    expect(backend!.allBytes).toBe(VICTIM_FORWARDED);
  });

  it('drops header names with an underscore, such as Content_Length', async () => {
    const harness = await gatewayInFrontOfRecorder();
    const reply = await exchange(harness.port, 'GET /a HTTP/1.1\r\nHost: portal.test\r\nContent_Length: 5\r\nTransfer_Encoding: chunked\r\n\r\n');
    expect(reply.status).toBe(200);
    expect(backend!.allBytes).toBe(forwardedHead('GET', '/a', ''));
  });
});

/** An HTTP/2 client of an HTTPS listener with http2 on; `send` resolves with the status and body. */
async function http2Client(clusters: Parameters<typeof startGateway>[0] | undefined) {
  const cert = makeCertificate(mkdtempSync(join(tmpdir(), 'sb-smuggle-')), { commonName: 'portal.test' });
  const port = await freePort();
  const listeners = [{ port, host: '127.0.0.1', tls: { certPath: cert.certPath, keyPath: cert.keyPath, http2: true } }];
  if (clusters) t.harness = await startGateway(clusters, { listeners });
  else await gatewayInFrontOfRecorder({ listeners });
  const client = http2.connect(`https://127.0.0.1:${port}`, { ca: readFileSync(cert.certPath), servername: 'portal.test' });
  const send = (method: string, path: string, body?: string): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const stream = client.request({ ':method': method, ':path': path, ':authority': 'portal.test' }, { endStream: body === undefined });
      let status = 0;
      let text = '';
      stream.on('response', (headers) => (status = Number(headers[':status'])));
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (text += chunk));
      stream.on('end', () => resolve({ status, body: text }));
      stream.on('error', reject);
      if (body !== undefined) stream.end(body);
    });
  return { send, close: () => client.close() };
}

describe('HTTP/2 clients', () => {
  it('a GET with DATA frames and no content-length reaches the backend chunked; the next request stays whole', async () => {
    const client = await http2Client(undefined);
    try {
      expect(JSON.parse((await client.send('GET', '/attack', SMUGGLED)).body)).toEqual({ method: 'GET', url: '/attack', body: SMUGGLED });
      // The path is normalized for HTTP/2 clients too.
      expect(JSON.parse((await client.send('GET', '/x/../victim')).body)).toEqual({ method: 'GET', url: '/victim', body: '' });
    } finally {
      client.close();
    }
    expect(backend!.connections).toHaveLength(1);
    const bytes = backend!.allBytes;
    expect(bytes).toMatch(/^GET \/attack HTTP\/1\.1\r\n[^]*\r\ntransfer-encoding: chunked\r\n[^]*\r\n\r\n/);
    expect(bytes.slice(bytes.indexOf('\r\n\r\n') + 4)).toMatch(new RegExp(`^${SMUGGLED.length.toString(16)}\\r\\n${SMUGGLED}\\r\\n0\\r\\n\\r\\nGET /victim HTTP/1\\.1\\r\\n`));
    expect(backend!.allRequests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /attack', 'GET /victim']);
  });

  it('a GET whose DATA went to a server that could not be reached is not sent again without its body', async () => {
    t.backends = await startBackends('b');
    const unreachable = `http://127.0.0.1:${await freePort()}`;
    // Requests go to A first (listed first, all else equal); A refuses connections.
    const client = await http2Client([
      { id: 'web', name: 'Web', requestTimeoutSec: 5, servers: [{ id: 'a', name: 'A', url: unreachable }, { id: 'b', name: 'B', url: t.backends[0]!.url }] },
    ]);
    try {
      const started = Date.now();
      const reply = await client.send('GET', '/search', 'q=report');
      expect(reply.status).toBe(502);
      expect(Date.now() - started).toBeLessThan(4000);
    } finally {
      client.close();
    }
    expect(t.backends[0]!.served).toBe(0);
  });
});
