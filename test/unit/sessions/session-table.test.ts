import { describe, expect, it } from 'vitest';
import { SessionTable, type Session } from '../../../proxy/sessions/session-table.js';

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
    expect(sessions.detailsOf(idle)).toBeUndefined();
    // The busy one was re-filed at its new expiry and goes then.
    expect(sessions.lookup('web', 'busy', T0 + 109_000)).toEqual(busy);
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
    expect(sessions.lookup('web', 'k', T0 + 119_000)).toEqual(s);
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
    while (!sessions.sweep(T0 + 5000, 10_000, Number.POSITIVE_INFINITY)) calls++;
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
    const text = Buffer.concat(Array.from(sessions.serialize(), (chunk) => Buffer.from(chunk))).toString() + 'broken line\nweb\tk\ta\tx\tNaN\t1\t1\n';
    const { sessions: restored } = table(60);
    const count = restored.restore(text, T0 + 70_000, (_c, s) => s !== 'gone');
    expect(count).toBe(1);
    const session = restored.detailsOf(restored.lookup('web', 'keep', T0 + 70_000)!);
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

describe('SessionTable, stored compactly', () => {
  it('never lets a handle of an ended session reach the session stored in its place', () => {
    const { sessions } = table(60);
    const ended = sessions.create('web', 'a', 'first', '10.0.0.1', T0);
    sessions.remove(ended);
    const successor = sessions.create('web', 'b', 'second', '10.0.0.2', T0);
    expect(successor.slot).toBe(ended.slot);
    sessions.touch(ended, T0 + 5000);
    sessions.remove(ended);
    expect(sessions.detailsOf(successor)).toMatchObject({ key: 'second', lastSeenAt: T0, requests: 0 });
    expect([sessions.size, sessions.countOf('web', 'b')]).toEqual([1, 1]);
  });

  it('keeps every count exact through a long random mix of operations', () => {
    const { sessions } = table(30);
    sessions.setPolicy('api', { idleMs: 10_000, maxLifetimeMs: 40_000 });
    type Model = { handle: Session; cluster: 'web' | 'api'; server: string; client: string; createdAt: number; lastSeenAt: number };
    const model = new Map<string, Model>();
    const limits = { web: { idleMs: 30_000, maxMs: Infinity }, api: { idleMs: 10_000, maxMs: 40_000 } };
    const expiry = (m: Model) => Math.min(m.lastSeenAt + limits[m.cluster].idleMs, m.createdAt + limits[m.cluster].maxMs);
    let seed = 7;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const expectCountsAsModel = () => {
      expect(sessions.size).toBe(model.size);
      for (const c of ['web', 'api']) {
        for (const s of ['s0', 's1', 's2']) expect(sessions.countOf(c, s)).toBe([...model.values()].filter((m) => m.cluster === c && m.server === s).length);
      }
      for (const client of ['10.0.1.2', 'fe80::3']) expect(sessions.countOfClient(client)).toBe([...model.values()].filter((m) => m.client === client).length);
    };
    let now = T0;
    for (let step = 0; step < 10_000; step++) {
      now += random(200);
      const cluster = random(2) ? 'web' : 'api';
      const key = `k${random(500)}`;
      const id = `${cluster}/${key}`;
      const action = random(10);
      if (action < 5) {
        const server = `s${random(3)}`;
        const client = random(2) ? `10.0.${random(4)}.${random(4)}` : `fe80::${random(4)}`;
        const handle = sessions.create(cluster, server, key, client, now);
        model.set(id, { handle, cluster, server, client, createdAt: now, lastSeenAt: now });
      } else if (action < 8) {
        const found = sessions.lookup(cluster, key, now);
        const expected = model.get(id);
        if (expected && expiry(expected) <= now) model.delete(id);
        expect(found === undefined).toBe(!model.has(id));
        if (found) {
          sessions.touch(found, now);
          model.get(id)!.lastSeenAt = now;
        }
      } else if (action < 9) {
        const found = sessions.lookup(cluster, key, now);
        if (found) sessions.remove(found);
        model.delete(id);
      } else {
        sessions.sweep(now);
        // The sweeper may remove any expired session (the due ones at the latest), and no other.
        for (const [k, m] of model) {
          if (sessions.detailsOf(m.handle)) continue;
          expect(expiry(m)).toBeLessThanOrEqual(now);
          model.delete(k);
        }
      }
      if (step % 500 === 0 || action === 9) expectCountsAsModel();
    }
    sessions.sweep(now + 3_600_000);
    model.clear();
    expectCountsAsModel();
  });

  it('stops sweeping when its time is up, with counts exact at that point', () => {
    const { sessions } = table(1);
    for (let i = 0; i < 1000; i++) sessions.create('web', 'a', `k${i}`, `10.0.${i >> 8}.${i & 255}`, T0);
    expect(sessions.sweep(T0 + 5000, Number.POSITIVE_INFINITY, 0)).toBe(false);
    expect(sessions.size).toBeGreaterThan(0);
    expect(sessions.size).toBeLessThan(1000);
    expect(sessions.countOf('web', 'a')).toBe(sessions.size);
    while (!sessions.sweep(T0 + 5000, Number.POSITIVE_INFINITY, 0));
    expect([sessions.size, sessions.countOf('web', 'a'), sessions.countOfClient('10.0.0.1')]).toEqual([0, 0, 0]);
  });

  it('writes the saved-sessions file exactly as the previous version did, and reads that version\'s files', () => {
    const { sessions } = table(3600);
    sessions.setPolicy('intranet', { idleMs: 3_600_000, maxLifetimeMs: null });
    const stored = [
      ['web', 'a', 'Zm9vYmFyYmF6cXV4MTIzNA', '10.1.2.3', T0 - 5, T0 + 17, 3],
      ['web', 'b', 'AAAAAAAAAAAAAAAAAAAAAA', '2001:db8::1', T0, T0, 0],
      ['intranet', 'iis-2', '192.168.0.7', '192.168.0.7', T0 + 1, T0 + 999_999, 4_000_000_000],
      ['web', 'a', 'clé-ünïcode', '010.0.0.1', 0, T0 + 2, 1],
    ] as const;
    for (const [c, s, key, client, createdAt, lastSeenAt, requests] of stored) {
      sessions.create(c, s, key, client, lastSeenAt, createdAt, requests);
    }
    // The previous version wrote one template string per session; files it wrote must load, and files written now must load there.
    const previousFormat = 'switchboard-sessions 1\n' + stored.map(([c, s, key, client, createdAt, lastSeenAt, requests]) => `${c}\t${key}\t${s}\t${client}\t${createdAt}\t${lastSeenAt}\t${requests}\n`).join('');
    const sortedLines = (text: string) => text.split('\n').sort().join('\n');
    const written = Buffer.concat(Array.from(sessions.serialize(), (chunk) => Buffer.from(chunk))).toString('utf8');
    expect(sortedLines(written)).toBe(sortedLines(previousFormat));

    for (const saved of [previousFormat, Buffer.from(previousFormat), Buffer.from(written)]) {
      const { sessions: restored } = table(3600);
      restored.setPolicy('intranet', { idleMs: 3_600_000, maxLifetimeMs: null });
      expect(restored.restore(saved, T0 + 1000, () => true)).toBe(4);
      const listed = [...restored.list('web', 'a', 10, T0 + 1000), ...restored.list('web', 'b', 10, T0 + 1000), ...restored.list('intranet', 'iis-2', 10, T0 + 1000)];
      expect(listed.map((s) => [s.clusterId, s.serverId, s.key, s.client, s.createdAt, s.lastSeenAt, s.requests]).sort()).toEqual(stored.map((s) => [...s]).sort());
      expect([restored.countOfClient('10.1.2.3'), restored.countOfClient('010.0.0.1'), restored.countOfClient('10.0.0.1')]).toEqual([1, 1, 0]);
    }
  });

  it('saves every session that lives through the save exactly once, however the table changes meanwhile', () => {
    const { sessions } = table(3600);
    for (let i = 0; i < 20_000; i++) sessions.create('web', `s${i % 3}`, `k${i}`, `10.0.${i >> 8 & 255}.${i & 255}`, T0);
    const chunks: Uint8Array[] = [];
    const writer = sessions.serialize();
    let step = 0;
    for (let next = writer.next(); !next.done; next = writer.next(), step++) {
      chunks.push(Buffer.from(next.value));
      // Sessions ending and new ones reusing their slots while the file is written.
      const ended = sessions.lookup('web', `k${step * 7}`, T0);
      if (ended) sessions.remove(ended);
      sessions.create('web', 's0', `new${step}`, '10.9.9.9', T0);
    }
    const keys = Buffer.concat(chunks).toString().split('\n').slice(1, -1).map((line) => line.split('\t')[1]!);
    const saved = new Set(keys);
    expect(saved.size).toBe(keys.length);
    const missing = [];
    for (let i = 0; i < 20_000; i++) if (sessions.lookup('web', `k${i}`, T0) && !saved.has(`k${i}`)) missing.push(`k${i}`);
    expect(missing).toEqual([]);
    expect(step).toBeGreaterThan(1);
  });
});
