/**
 * Every live session of every cluster, with exact counts per server and per client address: what
 * the gateway asks of its sessions. They are kept compactly by session-store.ts, expired by a
 * sweeper whose every call is bounded in time, and saved in chunks that are each built within a
 * couple of milliseconds (session-file-writer.ts). Outside, a session is a small handle
 * (session.ts): which session it is, and the slot it is stored in.
 */
import { ownCopy } from './own-copy.js';
import { readSessionFile } from './session-file.js';
import { sessionFileChunks } from './session-file-writer.js';
import { NONE } from './session-slots.js';
import { SessionStore } from './session-store.js';
import { expiryUnder, type SessionPolicy } from './server-places.js';
import type { Session, SessionDetails } from './session.js';

export type { SessionPolicy } from './server-places.js';
export { unstoredSession, type Session, type SessionDetails } from './session.js';

/** Sessions the sweeper looks at between two looks at the clock. */
const SWEEP_CLOCK_CHECK = 128;
/** Time one call of `sweep` may take, so that a million sessions expiring at once never stall requests. */
const SWEEP_SLICE_MS = 2;
const UINT32_MAX = 0xffff_ffff;

export class SessionTable {
  private readonly store: SessionStore;

  /** `onOccupancyChange` is called when a server gains its first live session or loses its last one. */
  constructor(now: number, onOccupancyChange: (clusterId: string, serverId: string, occupied: boolean) => void = () => {}) {
    this.store = new SessionStore(now, onOccupancyChange);
  }

  get size(): number {
    return this.store.size;
  }

  /** Set by any change worth saving; cleared by the caller that saves. */
  get dirty(): boolean {
    return this.store.dirty;
  }

  set dirty(dirty: boolean) {
    this.store.dirty = dirty;
  }

  setPolicy(clusterId: string, policy: SessionPolicy): void {
    const cluster = this.store.places.cluster(clusterId);
    const old = cluster.policy;
    cluster.policy = policy;
    if (old && (old.idleMs !== policy.idleMs || old.maxLifetimeMs !== policy.maxLifetimeMs)) {
      // Sessions filed under a longer timeout would otherwise expire late.
      this.store.forEachSlot(clusterId, undefined, (slot) => this.store.wheel.file(slot, this.store.expiryAt(slot)));
    }
  }

  /** The live session with this key, or undefined; an expired one is removed, never revived. */
  lookup(clusterId: string, key: string, now: number): Session | undefined {
    const slot = this.store.slotOf(clusterId, key);
    if (slot < 0) return undefined;
    if (this.store.expiryAt(slot) <= now) {
      this.store.removeSlot(slot);
      return undefined;
    }
    return this.store.handle(slot);
  }

  /**
   * A new session; `createdAt` is earlier than `now` for a tentative session confirmed later, whose
   * first request (counted in `requests`) was served before it was stored.
   */
  create(clusterId: string, serverId: string, key: string, client: string, now: number, createdAt = now, requests = 0): Session {
    return this.store.handle(this.store.insert({ clusterId, serverId, key: ownCopy(key), client, createdAt, lastSeenAt: now, requests }));
  }

  /** Live sessions of one client address, over all clusters. */
  countOfClient(client: string): number {
    return this.store.clients.countOf(client);
  }

  /** A request arrived for this session: the hot path, so it only writes fields. */
  touch(session: Session, now: number): void {
    const { slots } = this.store;
    if (!slots.isLive(session.slot, session.generation)) return;
    const slot = session.slot;
    slots.lastSeenAt[slot] = now;
    if (slots.requests[slot]! < UINT32_MAX) slots.requests[slot]!++;
    const place = this.store.places.all[slots.place[slot]!]!;
    if (now > place.latestSeenAt) place.latestSeenAt = now;
    this.store.dirty = true;
  }

  remove(session: Session): void {
    if (this.store.slots.isLive(session.slot, session.generation)) this.store.removeSlot(session.slot);
  }

  removeServer(clusterId: string, serverId: string): void {
    this.store.forEachSlot(clusterId, serverId, (slot) => this.store.removeSlot(slot));
    this.store.places.forgetServer(clusterId, serverId);
  }

  removeCluster(clusterId: string): void {
    this.store.forEachSlot(clusterId, undefined, (slot) => this.store.removeSlot(slot));
    this.store.places.forgetCluster(clusterId);
  }

  countOf(clusterId: string, serverId: string): number {
    return this.store.places.find(clusterId, serverId)?.count ?? 0;
  }

  /** When the last live session of a server expires at the latest if nobody returns; null without sessions. */
  expiresBy(clusterId: string, serverId: string): number | null {
    const place = this.store.places.find(clusterId, serverId);
    const policy = place?.cluster.policy;
    if (!place || place.count === 0 || !policy) return null;
    const idleEnd = place.latestSeenAt + policy.idleMs;
    return policy.maxLifetimeMs === null ? idleEnd : Math.min(idleEnd, place.latestCreatedAt + policy.maxLifetimeMs);
  }

  expiryOf(session: Pick<SessionDetails, 'clusterId' | 'createdAt' | 'lastSeenAt'>): number {
    return expiryUnder(this.store.places.clusters.get(session.clusterId)?.policy, session.createdAt, session.lastSeenAt);
  }

  /** Live sessions of one server, most recently seen first. */
  list(clusterId: string, serverId: string, limit: number, now: number): SessionDetails[] {
    const found: number[] = [];
    this.store.forEachSlot(clusterId, serverId, (slot) => {
      if (this.store.expiryAt(slot) > now) found.push(slot);
    });
    const lastSeenAt = this.store.slots.lastSeenAt;
    found.sort((a, b) => lastSeenAt[b]! - lastSeenAt[a]!);
    return found.slice(0, limit).map((slot) => this.store.details(slot));
  }

  /** Everything known about a stored session, or undefined once it has ended. */
  detailsOf(session: Session): SessionDetails | undefined {
    return this.store.slots.isLive(session.slot, session.generation) ? this.store.details(session.slot) : undefined;
  }

  /**
   * Expires the sessions whose time has come, looking at no more than `budget` of them and
   * spending no more than `sliceMs`. Returns true when it caught up with `now`, false when the
   * caller should continue soon.
   */
  sweep(now: number, budget = Number.POSITIVE_INFINITY, sliceMs = SWEEP_SLICE_MS): boolean {
    const started = performance.now();
    for (let looked = 0; ; looked++) {
      const slot = this.store.wheel.due(now);
      if (slot === NONE) return true;
      if (looked >= budget) return false;
      if (looked % SWEEP_CLOCK_CHECK === SWEEP_CLOCK_CHECK - 1 && performance.now() - started >= sliceMs) return false;
      const expiry = this.store.expiryAt(slot);
      if (expiry <= now) this.store.removeSlot(slot);
      else this.store.wheel.file(slot, expiry);
    }
  }

  /**
   * The table as the saved-sessions file, for the state store: in chunks each built within a couple
   * of milliseconds, each valid only until the next is asked for (they share one buffer).
   */
  serialize(): Generator<Uint8Array> {
    const { slots } = this.store;
    return sessionFileChunks(
      () => slots.highWater,
      (slot, writer) => {
        if (slots.bucket[slot] === NONE) return;
        const place = this.store.places.all[slots.place[slot]!]!;
        const client = this.store.clients.keptAddress(slots.client[slot]!);
        writer.session(place.cluster.id, slots.keys[slot]!, place.serverId, client, slots.createdAt[slot]!, slots.lastSeenAt[slot]!, slots.requests[slot]!);
      },
    );
  }

  /**
   * Loads saved sessions whose cluster has a policy and whose server still exists; expired and
   * malformed lines are dropped. Returns how many were restored.
   */
  restore(saved: string | Uint8Array, now: number, serverExists: (clusterId: string, serverId: string) => boolean): number {
    let restored = 0;
    readSessionFile(saved, (session) => {
      if (!this.store.places.clusters.get(session.clusterId)?.policy || !serverExists(session.clusterId, session.serverId) || session.key === '') return;
      // Expired ones are never inserted, so that they cannot flicker a server's state.
      if (this.expiryOf(session) <= now) return;
      session.requests = Math.max(0, Math.min(session.requests, UINT32_MAX));
      this.store.insert(session);
      restored++;
    });
    return restored;
  }
}
