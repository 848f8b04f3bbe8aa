/** What a gateway test starts, stopped after each test whatever its outcome. */
import { afterEach } from 'vitest';
import type { Harness } from './gateway-harness.js';
import { stopBackends, type TestBackend } from './test-backend.js';

export interface GatewayFixture {
  harness: Harness | undefined;
  backends: TestBackend[];
}

export function stopAfterEach(): GatewayFixture {
  const fixture: GatewayFixture = { harness: undefined, backends: [] };
  afterEach(async () => {
    await fixture.harness?.stop();
    await stopBackends(fixture.backends);
    fixture.harness = undefined;
    fixture.backends = [];
  });
  return fixture;
}
