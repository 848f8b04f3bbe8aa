import { describe, expect, it } from 'vitest';
import type { GatewaySnapshot } from '../../proxy/control-api.js';
import { HISTORY_WINDOW_MS, SessionHistory } from '../../renderer/src/session-history.js';

function snapshotAt(at: number, servers: Record<string, number>): GatewaySnapshot {
  return {
    at,
    clusters: [{ id: 'web', servers: Object.entries(servers).map(([id, sessions]) => ({ id, sessions })) }],
  } as unknown as GatewaySnapshot;
}

describe('SessionHistory', () => {
  it('keeps one point per snapshot per server, in seconds', () => {
    const history = new SessionHistory();
    history.record(snapshotAt(10_000, { a: 1, b: 5 }));
    history.record(snapshotAt(11_000, { a: 2, b: 4 }));
    expect(history.of('web', 'a')).toEqual({ times: [10, 11], sessions: [1, 2] });
    expect(history.of('web', 'b')).toEqual({ times: [10, 11], sessions: [5, 4] });
  });

  it('ignores a snapshot that is not newer than the last one', () => {
    const history = new SessionHistory();
    history.record(snapshotAt(10_000, { a: 1 }));
    history.record(snapshotAt(10_000, { a: 9 }));
    history.record(snapshotAt(9_000, { a: 9 }));
    expect(history.of('web', 'a').sessions).toEqual([1]);
  });

  it('forgets points older than the window and servers that are gone', () => {
    const history = new SessionHistory();
    history.record(snapshotAt(1_000, { a: 1, gone: 3 }));
    history.record(snapshotAt(2_000, { a: 2 }));
    history.record(snapshotAt(1_000 + HISTORY_WINDOW_MS + 500, { a: 3 }));
    expect(history.of('web', 'a').sessions).toEqual([2, 3]);
    expect(history.of('web', 'gone').sessions).toEqual([]);
  });

  it('gives a new series object after each change, so that a chart can tell', () => {
    const history = new SessionHistory();
    history.record(snapshotAt(1_000, { a: 1 }));
    const first = history.of('web', 'a');
    history.record(snapshotAt(2_000, { a: 1 }));
    expect(history.of('web', 'a')).not.toBe(first);
  });
});
