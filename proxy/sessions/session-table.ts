/**
 * Every live session of every cluster, with exact counts per server.
 *
 * Expiry does not scan the table: each session is filed in a one-second bucket at the time it
 * would expire. A request only updates `lastSeenAt`; when a bucket comes due, each session in it
 * is either expired or re-filed at its new expiry time. So a session is looked at about once per
 * timeout period, and the sweeper's work per tick is bounded by a budget.
 */

export interface SessionPolicy {
  idleMs: number;
  /** Age at which a session ends however active it is; null for no limit. */
  maxLifetimeMs: number | null;
}

/** Live sessions of one server, and bounds on when the last of them expires. */
interface ServerTally {
  count: number;
  latestSeenAt: number;
  latestCreatedAt: number;
}

export interface Session {
  readonly key: string;
  readonly clusterId: string;
  serverId: string;
  readonly client: string;
  readonly createdAt: number;
  lastSeenAt: number;
  requests: number;
  /** The second of the bucket this session is filed in; -1 once it has been removed. */
  bucket: number;
  tally: ServerTally;
}

/**
 * A session that is served but not stored: a tentative one, or one beyond its client's limit.
 * Removing it is a no-op, and it never counts anywhere.
 */
export function unstoredSession(clusterId: string, serverId: string, key: string, client: string, now: number): Session {
  return {
    key,
    clusterId,
    serverId,
    client,
    createdAt: now,
    lastSeenAt: now,
    requests: 1,
    bucket: REMOVED,
    tally: { count: 0, latestSeenAt: 0, latestCreatedAt: 0 },
  };
}

const FILE_HEADER = 'switchboard-sessions 1\n';
const SAVE_CHUNK = 5000;
const REMOVED = -1;

export class SessionTable {
  private readonly clusters = new Map<string, Map<string, Session>>();
  private readonly policies = new Map<string, SessionPolicy>();
  private readonly tallies = new Map<string, ServerTally>();
  /** Live sessions per client address, over all clusters. */
  private readonly perClient = new Map<string, number>();
  private readonly buckets = new Map<number, Session[]>();
  private cursorSecond: number;
  private cursorIndex = 0;
  private total = 0;
  /** Set by any change worth saving; cleared by the caller that saves. */
  dirty = false;

  /** Called when a server gains its first live session or loses its last one. */
  constructor(
    now: number,
    private readonly onOccupancyChange: (clusterId: string, serverId: string, occupied: boolean) => void = () => {},
  ) {
    this.cursorSecond = Math.floor(now / 1000);
  }

  get size(): number {
    return this.total;
  }

  setPolicy(clusterId: string, policy: SessionPolicy): void {
    const old = this.policies.get(clusterId);
    this.policies.set(clusterId, policy);
    if (old && (old.idleMs !== policy.idleMs || old.maxLifetimeMs !== policy.maxLifetimeMs)) {
      // Sessions filed under a longer timeout would otherwise expire late.
      for (const session of this.clusters.get(clusterId)?.values() ?? []) this.file(session, this.expiryOf(session));
    }
  }

  /** The live session with this key, or undefined; an expired one is removed, never revived. */
  lookup(clusterId: string, key: string, now: number): Session | undefined {
    const session = this.clusters.get(clusterId)?.get(key);
    if (!session) return undefined;
    if (this.expiryOf(session) <= now) {
      this.remove(session);
      return undefined;
    }
    return session;
  }

  /** A new session; `createdAt` is earlier than `now` for a tentative session confirmed later. */
  create(clusterId: string, serverId: string, key: string, client: string, now: number, createdAt = now): Session {
    return this.insert({ clusterId, serverId, key, client, createdAt, lastSeenAt: now, requests: 0 });
  }

  /** Live sessions of one client address, over all clusters. */
  countOfClient(client: string): number {
    return this.perClient.get(client) ?? 0;
  }

  private insert(fields: Pick<Session, 'clusterId' | 'serverId' | 'key' | 'client' | 'createdAt' | 'lastSeenAt' | 'requests'>): Session {
    const { clusterId, serverId, key } = fields;
    const existing = this.clusters.get(clusterId)?.get(key);
    if (existing) this.remove(existing);
    const tally = this.tallyOf(clusterId, serverId);
    // Every field written out, in one order: V8 then gives all sessions one compact shape.
    const session: Session = {
      key,
      clusterId,
      serverId,
      client: fields.client,
      createdAt: fields.createdAt,
      lastSeenAt: fields.lastSeenAt,
      requests: fields.requests,
      bucket: REMOVED,
      tally,
    };
    let sessions = this.clusters.get(clusterId);
    if (!sessions) {
      sessions = new Map();
      this.clusters.set(clusterId, sessions);
    }
    sessions.set(key, session);
    this.total++;
    this.count(session, +1);
    this.file(session, this.expiryOf(session));
    this.dirty = true;
    return session;
  }

  /** A request arrived for this session: the hot path, so it only writes fields. */
  touch(session: Session, now: number): void {
    session.lastSeenAt = now;
    session.requests++;
    if (now > session.tally.latestSeenAt) session.tally.latestSeenAt = now;
    this.dirty = true;
  }

  remove(session: Session): void {
    if (session.bucket === REMOVED) return;
    session.bucket = REMOVED;
    this.clusters.get(session.clusterId)?.delete(session.key);
    this.total--;
    this.count(session, -1);
    this.dirty = true;
  }

  removeServer(clusterId: string, serverId: string): void {
    for (const session of this.clusters.get(clusterId)?.values() ?? []) {
      if (session.serverId === serverId) this.remove(session);
    }
    this.tallies.delete(tallyKey(clusterId, serverId));
  }

  removeCluster(clusterId: string): void {
    for (const session of this.clusters.get(clusterId)?.values() ?? []) this.remove(session);
    this.clusters.delete(clusterId);
    this.policies.delete(clusterId);
    for (const key of this.tallies.keys()) if (key.startsWith(`${clusterId}\n`)) this.tallies.delete(key);
  }

  countOf(clusterId: string, serverId: string): number {
    return this.tallies.get(tallyKey(clusterId, serverId))?.count ?? 0;
  }

  /** When the last live session of a server expires at the latest if nobody returns; null without sessions. */
  expiresBy(clusterId: string, serverId: string): number | null {
    const tally = this.tallies.get(tallyKey(clusterId, serverId));
    const policy = this.policies.get(clusterId);
    if (!tally || tally.count === 0 || !policy) return null;
    const idleEnd = tally.latestSeenAt + policy.idleMs;
    return policy.maxLifetimeMs === null ? idleEnd : Math.min(idleEnd, tally.latestCreatedAt + policy.maxLifetimeMs);
  }

  expiryOf(session: Pick<Session, 'clusterId' | 'createdAt' | 'lastSeenAt'>): number {
    const policy = this.policies.get(session.clusterId);
    if (!policy) return 0;
    const idleEnd = session.lastSeenAt + policy.idleMs;
    return policy.maxLifetimeMs === null ? idleEnd : Math.min(idleEnd, session.createdAt + policy.maxLifetimeMs);
  }

  /** Live sessions of one server, most recently seen first. */
  list(clusterId: string, serverId: string, limit: number, now: number): Session[] {
    const found: Session[] = [];
    for (const session of this.clusters.get(clusterId)?.values() ?? []) {
      if (session.serverId === serverId && this.expiryOf(session) > now) found.push(session);
    }
    found.sort((a, b) => b.lastSeenAt - a.lastSeenAt);
    return found.length > limit ? found.slice(0, limit) : found;
  }

  /**
   * Expires the sessions whose time has come, looking at no more than `budget` of them.
   * Returns true when it caught up with `now`, false when the caller should continue soon.
   */
  sweep(now: number, budget = 5_000): boolean {
    const nowSecond = Math.floor(now / 1000);
    let looked = 0;
    while (this.cursorSecond <= nowSecond) {
      const bucket = this.buckets.get(this.cursorSecond);
      if (bucket) {
        while (this.cursorIndex < bucket.length) {
          if (looked >= budget) return false;
          const session = bucket[this.cursorIndex++]!;
          looked++;
          if (session.bucket !== this.cursorSecond) continue;
          const expiry = this.expiryOf(session);
          if (expiry <= now) this.remove(session);
          else this.file(session, expiry);
        }
        this.buckets.delete(this.cursorSecond);
      }
      this.cursorSecond++;
      this.cursorIndex = 0;
    }
    return true;
  }

  /** The table as text, in chunks, for the state store. */
  *serialize(): Generator<string> {
    yield FILE_HEADER;
    let lines: string[] = [];
    for (const sessions of this.clusters.values()) {
      for (const s of sessions.values()) {
        lines.push(`${s.clusterId}\t${s.key}\t${s.serverId}\t${s.client}\t${s.createdAt}\t${s.lastSeenAt}\t${s.requests}\n`);
        if (lines.length >= SAVE_CHUNK) {
          yield lines.join('');
          lines = [];
        }
      }
    }
    if (lines.length > 0) yield lines.join('');
  }

  /**
   * Loads saved sessions whose cluster has a policy and whose server still exists; expired and
   * malformed lines are dropped. Returns how many were restored.
   */
  restore(text: string, now: number, serverExists: (clusterId: string, serverId: string) => boolean): number {
    if (!text.startsWith(FILE_HEADER)) return 0;
    let restored = 0;
    for (const line of text.slice(FILE_HEADER.length).split('\n')) {
      const columns = line.split('\t');
      if (columns.length !== 7) continue;
      const [clusterId, key, serverId, client, createdText, seenText, requestsText] = columns as [string, string, string, string, string, string, string];
      const createdAt = Number(createdText);
      const lastSeenAt = Number(seenText);
      const requests = Number(requestsText);
      if (!Number.isSafeInteger(createdAt) || !Number.isSafeInteger(lastSeenAt) || !Number.isSafeInteger(requests)) continue;
      if (!this.policies.has(clusterId) || !serverExists(clusterId, serverId) || key === '') continue;
      const fields = { clusterId, serverId, key, client, createdAt, lastSeenAt, requests };
      // Expired ones are never inserted, so that they cannot flicker a server's state.
      if (this.expiryOf(fields) <= now) continue;
      this.insert(fields);
      restored++;
    }
    return restored;
  }

  private file(session: Session, expiry: number): void {
    const second = Math.max(Math.ceil(expiry / 1000), this.cursorSecond + 1);
    if (session.bucket === second) return;
    session.bucket = second;
    const bucket = this.buckets.get(second);
    if (bucket) bucket.push(session);
    else this.buckets.set(second, [session]);
  }

  private tallyOf(clusterId: string, serverId: string): ServerTally {
    const key = tallyKey(clusterId, serverId);
    let tally = this.tallies.get(key);
    if (!tally) {
      tally = { count: 0, latestSeenAt: 0, latestCreatedAt: 0 };
      this.tallies.set(key, tally);
    }
    return tally;
  }

  private count(session: Session, delta: 1 | -1): void {
    const ofClient = (this.perClient.get(session.client) ?? 0) + delta;
    if (ofClient > 0) this.perClient.set(session.client, ofClient);
    else this.perClient.delete(session.client);
    const tally = session.tally;
    tally.count += delta;
    if (delta > 0) {
      if (session.lastSeenAt > tally.latestSeenAt) tally.latestSeenAt = session.lastSeenAt;
      if (session.createdAt > tally.latestCreatedAt) tally.latestCreatedAt = session.createdAt;
      if (tally.count === 1) this.onOccupancyChange(session.clusterId, session.serverId, true);
    } else if (tally.count === 0) {
      tally.latestSeenAt = 0;
      tally.latestCreatedAt = 0;
      this.onOccupancyChange(session.clusterId, session.serverId, false);
    }
  }
}

function tallyKey(clusterId: string, serverId: string): string {
  return `${clusterId}\n${serverId}`;
}
