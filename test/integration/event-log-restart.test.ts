/**
 * The event log across a restart: a line when the gateway starts and when it stops, and each
 * server's state as found on start written as its first state, never as a change.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startGateway } from '../support/gateway-harness.js';
import { User } from '../support/http-client.js';
import { startBackends } from '../support/test-backend.js';
import { stopAfterEach } from '../support/fixtures.js';

const t = stopAfterEach();

async function eventLogLines(): Promise<string[]> {
  await t.harness!.gateway.eventLog.flush();
  const logs = join(t.harness!.directory, 'logs');
  const names = readdirSync(logs).filter((name) => name.startsWith('switchboard-events_'));
  return names.flatMap((name) => readFileSync(join(logs, name), 'utf8').split('\n')).filter((line) => line !== '');
}

describe('event log across a restart', () => {
  it('writes start and stop lines and the states found on start, with no bogus transition', async () => {
    t.backends = await startBackends('v1', 'v2', 'v3');
    t.harness = await startGateway([
      {
        id: 'web', name: 'Web',
        servers: [
          { id: 'v1', name: 'App 1.0', url: t.backends[0]!.url, capacity: 100 },
          { id: 'v2', name: 'App 1.1', url: t.backends[1]!.url, capacity: 100 },
          { id: 'v3', name: 'App 0.9', url: t.backends[2]!.url, capacity: 0 },
        ],
      },
    ]);
    await t.harness.control.as('api').updateServer('web', 'v2', { capacity: 0 });
    const users = Array.from({ length: 3 }, () => new User(t.harness!.url));
    for (const user of users) {
      expect((await user.get('/')).backend).toBe('v1');
      expect((await user.get('/again')).backend).toBe('v1');
    }
    await t.harness.control.drainServer('web', 'v1');
    expect((await t.harness.control.getState()).clusters[0]!.servers.map((s) => s.state)).toEqual(['draining', 'drained', 'drained']);

    await t.harness.restart();
    const state = await t.harness.control.getState();
    expect(state.clusters[0]!.servers.map((s) => [s.id, s.state, s.sessions])).toEqual([['v1', 'draining', 3], ['v2', 'drained', 0], ['v3', 'drained', 0]]);

    const lines = await eventLogLines();
    const starts = lines.filter((line) => / INFO {2}Gateway started /.test(line));
    expect(starts).toHaveLength(2);
    expect(starts[0]).toContain(`listeners=http://127.0.0.1:${t.harness.port}`);
    expect(starts[1]).toContain('sessions=3');
    expect(lines.filter((line) => / INFO {2}Gateway stopped /.test(line))).toEqual([expect.stringContaining('sessions=3')]);

    const restart = lines.findIndex((line) => line === starts[1]);
    const afterRestart = lines.slice(restart + 1);
    expect(afterRestart).toEqual([
      expect.stringMatching(/INFO {2}App 1\.0 starts as draining cluster=web server=v1$/),
      expect.stringMatching(/INFO {2}App 1\.1 starts as drained cluster=web server=v2$/),
      expect.stringMatching(/INFO {2}App 0\.9 starts as drained cluster=web server=v3$/),
    ]);
    // A state as restored is not a change: no "draining from=drained", no "safe to stop" for a server never drained here.
    expect(lines.filter((line) => /from=drained|safe to stop/.test(line))).toEqual([
      // v2's drain before the restart was a real one.
      expect.stringContaining('App 1.1 is drained: no sessions left, safe to stop'),
    ]);
  });
});
