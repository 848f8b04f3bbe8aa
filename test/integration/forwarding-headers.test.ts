/** What a backend learns about the client, whatever the client or the backend claims. */
import { describe, expect, it } from 'vitest';
import { stopAfterEach } from '../support/fixtures.js';
import { startGateway } from '../support/gateway-harness.js';
import { request } from '../support/http-client.js';
import { exchange } from '../support/raw-http.js';
import { startBackends } from '../support/test-backend.js';

const t = stopAfterEach();

async function oneBackend(extra: Parameters<typeof startGateway>[1] = {}): Promise<void> {
  t.backends = await startBackends('a');
  t.harness = await startGateway([{ id: 'web', name: 'Web', servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }] }], extra);
}

const SPOOFED = {
  host: 'wiki.test',
  'x-forwarded-for': '1.2.3.4',
  'x-forwarded-proto': 'https',
  'x-forwarded-host': 'evil.test',
  'x-forwarded-port': '443',
  forwarded: 'for=1.2.3.4;proto=https',
  'x-real-ip': '1.2.3.4',
  'x-original-url': '/admin',
  'x-rewrite-url': '/admin',
};

describe('forwarding headers', () => {
  it('from a client that is not a trusted proxy are replaced: the backend sees only the real peer (the DokuWiki case)', async () => {
    await oneBackend();
    const reply = await request(`${t.harness!.url}/doku.php`, { headers: SPOOFED });
    const headers = JSON.parse(reply.body).headers;
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(headers['x-real-ip']).toBe('127.0.0.1');
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-forwarded-host']).toBe('wiki.test');
    for (const gone of ['x-forwarded-port', 'forwarded', 'x-original-url', 'x-rewrite-url']) expect(headers[gone], gone).toBeUndefined();
  });

  it('from a trusted proxy are kept, and X-Forwarded-For is extended with that proxy', async () => {
    await oneBackend({ trustedProxies: ['127.0.0.1'] });
    const reply = await request(`${t.harness!.url}/doku.php`, { headers: SPOOFED });
    const headers = JSON.parse(reply.body).headers;
    expect(headers).toMatchObject({
      'x-forwarded-for': '1.2.3.4, 127.0.0.1',
      'x-real-ip': '1.2.3.4',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'evil.test',
      'x-forwarded-port': '443',
      forwarded: 'for=1.2.3.4;proto=https',
    });
    // Routing headers are never believed, whoever sends them.
    expect(headers['x-original-url']).toBeUndefined();
    expect(headers['x-rewrite-url']).toBeUndefined();
  });

  it('cannot be removed by naming them in Connection, and neither can Host or Cookie', async () => {
    await oneBackend();
    const reply = await exchange(
      t.harness!.port,
      'GET /x HTTP/1.1\r\nHost: wiki.test\r\nCookie: DokuWiki=abc\r\n' +
        'Connection: X-Forwarded-For, X-Forwarded-Proto, X-Forwarded-Host, X-Real-IP, Forwarded, Host, Cookie, X-Custom\r\nX-Custom: 1\r\n\r\n',
    );
    const headers = JSON.parse(reply.body).headers;
    expect(headers).toMatchObject({ host: 'wiki.test', cookie: 'DokuWiki=abc', 'x-forwarded-for': '127.0.0.1', 'x-forwarded-proto': 'http', 'x-forwarded-host': 'wiki.test', 'x-real-ip': '127.0.0.1' });
    // An ordinary header the client names in Connection is hop-by-hop, as RFC 9110 §7.6.1 says.
    expect(headers['x-custom']).toBeUndefined();
  });

  it('give the backend a Host when an HTTP/1.0 client sent none, and a bodiless POST its Content-Length: 0', async () => {
    await oneBackend();
    const backendHost = new URL(t.backends[0]!.url).host;
    const old = await exchange(t.harness!.port, 'GET /x HTTP/1.0\r\n\r\n');
    expect(old.status).toBe(200);
    expect(JSON.parse(old.body).headers.host).toBe(backendHost);
    const post = await exchange(t.harness!.port, 'POST /x HTTP/1.1\r\nHost: wiki.test\r\nConnection: close\r\n\r\n');
    const headers = JSON.parse(post.body).headers;
    expect(headers['content-length']).toBe('0');
    expect(headers['transfer-encoding']).toBeUndefined();
  });
});

describe('the session cookie', () => {
  for (const compression of [false, true]) {
    it(`survives a backend naming Set-Cookie in its Connection header${compression ? ' (compressed response)' : ''}`, async () => {
      t.backends = await startBackends('a');
      t.backends[0]!.handlers.set('/page', (_req, res) => {
        const body = 'x'.repeat(2000);
        res.writeHead(200, { 'content-type': 'text/html', connection: 'Set-Cookie', 'set-cookie': 'app=1; Path=/', 'content-length': body.length });
        res.end(body);
      });
      t.harness = await startGateway([{ id: 'web', name: 'Web', compression: { enabled: compression }, servers: [{ id: 'a', name: 'A', url: t.backends[0]!.url }] }]);
      const reply = await request(`${t.harness.url}/page`, { headers: { 'accept-encoding': 'gzip' } });
      expect(reply.status).toBe(200);
      expect(reply.headers['content-encoding']).toBe(compression ? 'gzip' : undefined);
      const cookies = reply.headers['set-cookie'] ?? [];
      expect(cookies.some((cookie) => cookie.startsWith('sb-web='))).toBe(true);
      // The backend's own cookie was hop-by-hop by its own say-so.
      expect(cookies.some((cookie) => cookie.startsWith('app='))).toBe(false);
    });
  }
});
