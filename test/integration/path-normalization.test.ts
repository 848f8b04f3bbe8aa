/**
 * Routing, access rules and the backend see one path: a route whose rule refuses `/internal`
 * refuses every spelling of it, and the backend receives the path that was checked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { stopAfterEach } from '../support/fixtures.js';
import { startGateway } from '../support/gateway-harness.js';
import { exchange } from '../support/raw-http.js';
import { RecordingBackend } from '../support/recording-backend.js';

const t = stopAfterEach();
let backend: RecordingBackend | undefined;
afterEach(async () => {
  await backend?.stop();
  backend = undefined;
});

/** `/internal` is closed to 127.0.0.1 (the tests' own address); everything else is open. */
async function gatewayWithInternalRule(): Promise<number> {
  backend = await new RecordingBackend().start();
  t.harness = await startGateway([{ id: 'web', name: 'Web', servers: [{ id: 'a', name: 'A', url: backend.url }] }], {
    routes: [
      { host: '*', path: '/internal', cluster: 'web', access: { mode: 'deny', addresses: ['127.0.0.1'], action: '403' } },
      { host: '*', path: '/', cluster: 'web' },
    ],
  });
  return t.harness.port;
}

const get = (port: number, target: string) => exchange(port, `GET ${target} HTTP/1.1\r\nHost: portal.test\r\n\r\n`);

/** The request lines the backend received. */
function requestLines(): string[] {
  return backend!.connections.flatMap((c) => c.bytes.split('\r\n').filter((line) => / HTTP\/1\.1$/.test(line)));
}

describe('one normalized path', () => {
  it('every spelling of a refused path is refused by its route’s access rule', async () => {
    const port = await gatewayWithInternalRule();
    for (const target of ['/internal', '/./internal', '/x/../internal', '/%69nternal', '//internal', '/INTERNAL/page', '/%2e/internal', '/x/%2E%2E/internal/', '/a/b/../../internal?x=1']) {
      const reply = await get(port, target);
      expect(reply.status, target).toBe(403);
    }
    expect(backend!.connections).toEqual([]);
  });

  it('the backend receives the normalized path that was checked, with the query as sent', async () => {
    const port = await gatewayWithInternalRule();
    for (const target of ['/a/./b//c', '/x/../public?next=/x/../internal', '/%7Euser/%70age', '/docs/caf%c3%a9', 'http://portal.test/y/../z']) {
      expect((await get(port, target)).status, target).toBe(200);
    }
    expect(requestLines()).toEqual([
      'GET /a/b/c HTTP/1.1',
      'GET /public?next=/x/../internal HTTP/1.1',
      'GET /~user/page HTTP/1.1',
      'GET /docs/caf%C3%A9 HTTP/1.1',
      'GET /z HTTP/1.1',
    ]);
    expect(backend!.allRequests.map((r) => r.url)).toEqual(['/a/b/c', '/public?next=/x/../internal', '/~user/page', '/docs/caf%C3%A9', '/z']);
  });

  it('encoded slashes, backslashes, control characters, dot segments with parameters and `*` are refused with 400', async () => {
    const port = await gatewayWithInternalRule();
    for (const target of ['/x%2Finternal', '/x%2f..%2finternal', '/x%5Cinternal', '/x%5c..%5cinternal', '/x\\..\\internal', '/internal%00', '/x%0d%0aSet-Cookie:a=b', '/x/..;/internal']) {
      const reply = await get(port, target);
      expect(reply.status, target).toBe(400);
    }
    // Asterisk-form asks about the server as a whole; no backend can answer for the gateway.
    expect((await exchange(port, 'OPTIONS * HTTP/1.1\r\nHost: portal.test\r\n\r\n')).status).toBe(400);
    expect(backend!.connections).toEqual([]);
  });
});
