import { describe, expect, it } from 'vitest';
import { SessionTable } from '../../../proxy/sessions/session-table.js';

const T0 = 1_700_000_000_000;

function table(idleSec = 60, maxLifetimeSec: number | null = null) {
  const changes: string[] = [];
  const sessions = new SessionTable(T0, (c, s, occupied) => changes.push(`${c}/${s}:${occupied ? 'occupied' : 'empty'}`));
  sessions.setPolicy('web', { idleMs: idleSec * 1000, maxLifetimeMs: maxLifetimeSec === null ? null : maxLifetimeSec * 1000 });
  return { sessions, changes };
}

describe('SessionTable', () => {
  it('counts exactly per server and reports occupancy changes', () => {
    const { sessions, changes } = table();
    const s1 = sessions.create('web', 'a', 'k1', '10.0.0.1', T0);
    sessions.create('web', 'a', 'k2', '10.0.0.2', T0);
    sessions.create('web', 'b', 'k3', '10.0.0.3', T0);
    expect([sessions.countOf('web', 'a'), sessions.countOf('web', 'b'), sessions.size]).toEqual([2, 1, 3]);
    sessions.remove(s1);
    sessions.remove(s1);
    expect(sessions.countOf('web', 'a')).toBe(1);
    // Re-creating a key replaces the session instead of counting it twice.
    sessions.create('web', 'b', 'k2', '10.0.0.2', T0);
    expect([sessions.countOf('web', 'a'), sessions.countOf('web', 'b'), sessions.size]).toEqual([0, 2, 2]);
    expect(changes).toEqual(['web/a:occupied', 'web/b:occupied', 'web/a:empty']);
  });

  it('expires idle sessions at the sweep and never revives them', () => {
    const { sessions } = table(60);
    const idle = sessions.create('web', 'a', 'idle', 'x', T0);
    const busy = sessions.create('web', 'a', 'busy', 'y', T0);
    sessions.touch(busy, T0 + 50_000);
    expect(sessions.sweep(T0 + 59_999)).toBe(true);
    expect(sessions.countOf('web', 'a')).toBe(2);
    sessions.sweep(T0 + 61_000);
    expect(sessions.countOf('web', 'a')).toBe(1);
    expect(sessions.lookup('web', 'idle', T0 + 61_000)).toBeUndefined();
    expect(idle.bucket).toBe(-1);
    // The busy one was re-filed at its new expiry and goes then.
    expect(sessions.lookup('web', 'busy', T0 + 109_000)).toBe(busy);
    sessions.sweep(T0 + 111_000);
    expect(sessions.size).toBe(0);
  });

  it('removes an expired session on lookup even before the sweeper comes by', () => {
    const { sessions } = table(60);
    sessions.create('web', 'a', 'k', 'x', T0);
    expect(sessions.lookup('web', 'k', T0 + 60_001)).toBeUndefined();
    expect(sessions.countOf('web', 'a')).toBe(0);
  });

  it('ends a session at its maximum lifetime however active it is', () => {
    const { sessions } = table(60, 120);
    const s = sessions.create('web', 'a', 'k', 'x', T0);
    for (let t = 30_000; t <= 119_000; t += 30_000) sessions.touch(s, T0 + t);
    expect(sessions.lookup('web', 'k', T0 + 119_000)).toBe(s);
    expect(sessions.expiresBy('web', 'a')).toBe(T0 + 120_000);
    expect(sessions.lookup('web', 'k', T0 + 120_000)).toBeUndefined();
  });

  it('applies a shorter timeout to sessions filed under the longer one', () => {
    const { sessions } = table(3600);
    sessions.create('web', 'a', 'k', 'x', T0);
    sessions.setPolicy('web', { idleMs: 10_000, maxLifetimeMs: null });
    sessions.sweep(T0 + 11_000);
    expect(sessions.size).toBe(0);
  });

  it('sweeps within its budget and catches up over several calls', () => {
    const { sessions } = table(1);
    for (let i = 0; i < 50_000; i++) sessions.create('web', i % 2 ? 'a' : 'b', `k${i}`, 'x', T0);
    let calls = 1;
    while (!sessions.sweep(T0 + 5000, 10_000)) calls++;
    expect(calls).toBe(5);
    expect(sessions.size).toBe(0);
    expect(sessions.countOf('web', 'a') + sessions.countOf('web', 'b')).toBe(0);
  });

  it('saves and restores live sessions, dropping expired, unknown and malformed ones', () => {
    const { sessions } = table(60);
    const kept = sessions.create('web', 'a', 'keep', '10.0.0.1', T0);
    sessions.touch(kept, T0 + 30_000);
    sessions.create('web', 'a', 'old', '10.0.0.2', T0);
    sessions.create('web', 'gone', 'orphan', '10.0.0.3', T0 + 30_000);
    const text = [...sessions.serialize()].join('') + 'broken line\nweb\tk\ta\tx\tNaN\t1\t1\n';
    const { sessions: restored } = table(60);
    const count = restored.restore(text, T0 + 70_000, (_c, s) => s !== 'gone');
    expect(count).toBe(1);
    const session = restored.lookup('web', 'keep', T0 + 70_000)!;
    expect(session).toMatchObject({ serverId: 'a', client: '10.0.0.1', createdAt: T0, lastSeenAt: T0 + 30_000, requests: 1 });
    expect(restored.countOf('web', 'a')).toBe(1);
    expect(restored.expiresBy('web', 'a')).toBe(T0 + 90_000);
  });

  it('lists a server\'s sessions most recent first, up to a limit', () => {
    const { sessions } = table(60);
    for (let i = 0; i < 5; i++) sessions.touch(sessions.create('web', 'a', `k${i}`, `c${i}`, T0), T0 + i * 1000);
    expect(sessions.list('web', 'a', 3, T0 + 5000).map((s) => s.key)).toEqual(['k4', 'k3', 'k2']);
  });
});
