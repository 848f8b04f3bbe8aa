/**
 * Java servers (Tomcat, Jetty, WebLogic) read `/admin;jsessionid=x/page` as `/admin/page`: a path
 * parameter must not take a request past the route, and the access rule, that its path belongs to.
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

/** `/app/admin/` is closed to 127.0.0.1 (the tests' own address); the rest of the same application is open. */
async function gatewayWithAdminRule(): Promise<number> {
  backend = await new RecordingBackend().start();
  t.harness = await startGateway([{ id: 'web', name: 'Web', servers: [{ id: 'a', name: 'A', url: backend.url }] }], {
    routes: [
      { host: '*', path: '/app/admin/', cluster: 'web', access: { mode: 'deny', addresses: ['127.0.0.1'], action: '403' } },
      { host: '*', path: '/', cluster: 'web' },
    ],
  });
  return t.harness.port;
}

const get = (port: number, target: string) => exchange(port, `GET ${target} HTTP/1.1\r\nHost: portal.test\r\n\r\n`);

describe('path parameters', () => {
  it('a path parameter in any segment does not take a request past its route’s access rule', async () => {
    const port = await gatewayWithAdminRule();
    for (const target of ['/app;x/admin/users', '/app/admin;jsessionid=1/users', '/APP;/ADMIN;a=b/', '/;x/app/admin/users', '/app/;/admin/users']) {
      expect((await get(port, target)).status, target).toBe(403);
    }
    expect(backend!.connections).toEqual([]);
  });

  it('a path parameter under an open route still reaches the backend as sent', async () => {
    const port = await gatewayWithAdminRule();
    expect((await get(port, '/app/login;jsessionid=ABC?x=1')).status).toBe(200);
    expect(backend!.allRequests.map((r) => r.url)).toEqual(['/app/login;jsessionid=ABC?x=1']);
  });
});
