import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GatewayEvent } from '../../../proxy/control/control-api.js';
import { EventLog, describeGatewayEvent, formatEventLine, logGatewayEvents } from '../../../proxy/logs/event-log.js';

let dir: string;
let clock: Date;
const now = (): Date => clock;
const settings = (): { enabled: boolean; directory: string; retentionDays: number } => ({ enabled: true, directory: dir, retentionDays: 7 });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-eventlog-'));
  clock = new Date('2026-11-27T15:04:05.123Z');
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

function fileLines(name: string): string[] {
  return readFileSync(join(dir, name), 'utf8').trimEnd().split('\n');
}

describe('event log lines', () => {
  it('are plain: ISO time, level, message, then key=value fields', () => {
    expect(formatEventLine(clock, 'warn', 'App 1.0 is offline', { cluster: 'web', server: 'v1', reason: 'connect ECONNREFUSED 127.0.0.1:3001' })).toBe(
      '2026-11-27T15:04:05.123Z WARN  App 1.0 is offline cluster=web server=v1 reason="connect ECONNREFUSED 127.0.0.1:3001"',
    );
    expect(formatEventLine(clock, 'info', 'two\nlines', { n: 3, ok: true, list: ['a', 'b'], none: undefined })).toBe(
      '2026-11-27T15:04:05.123Z INFO  two | lines n=3 ok=true list="[\\"a\\",\\"b\\"]"',
    );
  });
});

describe('EventLog', () => {
  it('is a GatewayLogger writing to switchboard-events_YYYYMMDD.log', async () => {
    const log = new EventLog({ now });
    await log.configure(settings());
    log.info('gateway started', { listeners: 2 });
    log.warn('listener :8443: certificate expires soon');
    log.error('listener :80 could not bind', { reason: 'EADDRINUSE' });
    await log.flush();
    expect(fileLines('switchboard-events_20261127.log')).toEqual([
      '2026-11-27T15:04:05.123Z INFO  gateway started listeners=2',
      '2026-11-27T15:04:05.123Z WARN  listener :8443: certificate expires soon',
      '2026-11-27T15:04:05.123Z ERROR listener :80 could not bind reason=EADDRINUSE',
    ]);
    await log.close();
  });

  it('rotates daily and keeps only the retention', async () => {
    writeFileSync(join(dir, 'switchboard-events_20261101.log'), 'old\n');
    writeFileSync(join(dir, 'switchboard-events_20261121.log'), 'recent\n');
    const log = new EventLog({ now });
    await log.configure(settings());
    log.info('before midnight');
    clock = new Date('2026-11-28T00:00:00.500Z');
    log.info('after midnight');
    await log.flush();
    expect(readdirSync(dir).sort()).toEqual(['switchboard-events_20261121.log', 'switchboard-events_20261127.log', 'switchboard-events_20261128.log']);
    expect(fileLines('switchboard-events_20261128.log')).toEqual(['2026-11-28T00:00:00.500Z INFO  after midnight']);
    await log.close();
  });

  it('echoes to the console when asked, and writes no file when disabled', async () => {
    const spy = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const log = new EventLog({ now, echoToConsole: true });
      await log.configure({ ...settings(), enabled: false });
      log.warn('server offline', { server: 'v1' });
      await log.flush();
      expect(spy).toHaveBeenCalledWith('2026-11-27T15:04:05.123Z WARN  server offline server=v1');
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('gateway events in the log', () => {
  const at = Date.parse('2026-11-27T15:04:05.123Z');

  it('describes drains, offline/online, state changes and config changes with their source', () => {
    expect(describeGatewayEvent({ type: 'drained', at, clusterId: 'web', serverId: 'v1', serverName: 'App 1.0' })).toEqual({
      level: 'info',
      message: 'App 1.0 is drained: no sessions left, safe to stop',
      fields: { cluster: 'web', server: 'v1' },
    });
    expect(describeGatewayEvent({ type: 'offline', at, clusterId: 'web', serverId: 'v1', serverName: 'App 1.0', reason: 'timeout' })?.level).toBe('warn');
    expect(describeGatewayEvent({ type: 'config', at, source: 'tray', summary: 'App 1.0 capacity 50 → 0' })).toEqual({
      level: 'info',
      message: 'configuration changed: App 1.0 capacity 50 → 0',
      fields: { source: 'tray' },
    });
    expect(describeGatewayEvent({ type: 'state', at, clusterId: 'web', serverId: 'v2', serverName: 'App 1.1', from: 'active', to: 'draining' })?.message).toBe(
      'App 1.1 is now draining',
    );
    expect(describeGatewayEvent({ type: 'state', at, clusterId: 'web', serverId: 'v2', serverName: 'App 1.1', from: null, to: 'draining' })).toEqual({
      level: 'info',
      message: 'App 1.1 starts as draining',
      fields: { cluster: 'web', server: 'v2' },
    });
  });

  it('subscribes to the control API and writes each event but the stats ticks', async () => {
    let listener: ((event: GatewayEvent) => void) | undefined;
    const unsubscribe = vi.fn();
    const control = {
      subscribe: (l: (event: GatewayEvent) => void) => {
        listener = l;
        return unsubscribe;
      },
    };
    const log = new EventLog({ now });
    await log.configure(settings());
    const stop = logGatewayEvents(control, log);
    listener!({ type: 'online', at: 0, clusterId: 'web', serverId: 'v2', serverName: 'App 1.1' });
    listener!({ type: 'config', at: 0, source: 'dashboard', summary: 'added server App 1.2' });
    listener!({ type: 'stats', at: 0, snapshot: {} as never });
    stop();
    await log.flush();
    expect(fileLines('switchboard-events_20261127.log')).toEqual([
      '2026-11-27T15:04:05.123Z INFO  App 1.1 is online cluster=web server=v2',
      '2026-11-27T15:04:05.123Z INFO  configuration changed: added server App 1.2 source=dashboard',
    ]);
    expect(unsubscribe).toHaveBeenCalledOnce();
    await log.close();
  });
});
