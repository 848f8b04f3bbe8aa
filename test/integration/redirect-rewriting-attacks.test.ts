/**
 * Redirects rewritten from a backend's prefix to the public one must stay on the public host: an
 * application that only lets local addresses through its `returnUrl` check must not become an open
 * redirect because the gateway shortened its path.
 */
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { startGateway } from '../support/gateway-harness.js';
import { request } from '../support/http-client.js';
import { stopAfterEach } from '../support/fixtures.js';
import { TestBackend } from '../support/test-backend.js';

const t = stopAfterEach();

/** An application at `/app/` on its server, published at `/`, that redirects to a local `to` it was given. */
async function publishAppAtRoot(): Promise<void> {
  const backend = new TestBackend('app');
  backend.handlers.set('/app/go', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const to = new URL(req.url ?? '/', 'http://backend').searchParams.get('to') ?? '/app/';
    // The application's own open-redirect check: only its own paths.
    const local = to === '/app' || to.startsWith('/app/');
    res.writeHead(302, { location: local ? to : '/app/', 'content-length': '0' });
    res.end();
  });
  t.backends.push(backend);
  await backend.start();
  t.harness = await startGateway([{ id: 'web', name: 'App', servers: [{ id: 'a', name: 'A', url: backend.url }] }], {
    routes: [{ host: '*', path: '/', backendPath: '/app/', cluster: 'web' }],
  });
}

async function redirectOf(path: string): Promise<string> {
  const reply = await request(`${t.harness!.url}${path}`, { headers: { host: 'intranet.test' } });
  expect(reply.status).toBe(302);
  return String(reply.headers.location);
}

describe('Location rewriting against open redirects', () => {
  it('does not turn a local path with a tab into an address a browser reads as another host', async () => {
    await publishAppAtRoot();
    // `/app/\t/evil.test` is local to the application; mapped to `/\t/evil.test`, a browser drops the
    // tab and goes to //evil.test.
    const location = await redirectOf('/go?to=%2Fapp%2F%09%2Fevil.test%2F');
    expect(new URL(location, 'http://intranet.test/wiki/').host).toBe('intranet.test');
  });

  it('maps the application top folder without its slash to the public root, not to an empty Location', async () => {
    await publishAppAtRoot();
    const location = await redirectOf('/go?to=%2Fapp');
    expect(location).toBe('/');
  });
});
