/**
 * Where the session table keeps its sessions: columns of typed arrays (session-slots.ts), an index
 * by key per cluster (hash-index.ts), servers and clients interned once with their live sessions
 * counted exactly (server-places.ts, client-counts.ts), and the expiry buckets (expiry-wheel.ts).
 * Everything a session stores goes in and out through `insert` and `removeSlot`, so that the
 * counts never disagree with what is stored.
 */
import { ClientCounts } from './client-counts.js';
import { ExpiryWheel } from './expiry-wheel.js';
import { hashString } from './hash-index.js';
import type { SavedSession } from './session-file.js';
import { NONE, SessionSlots } from './session-slots.js';
import { ServerPlaces, expiryUnder } from './server-places.js';
import type { Session, SessionDetails } from './session.js';

export class SessionStore {
  readonly slots = new SessionSlots();
  readonly clients = new ClientCounts();
  readonly places = new ServerPlaces((slot, key) => this.slots.keys[slot] === key);
  readonly wheel: ExpiryWheel;
  private readonly seed = (Math.random() * 2 ** 32) | 0;
  size = 0;
  /** Set by any change worth saving; cleared by the caller that saves. */
  dirty = false;

  constructor(
    now: number,
    private readonly onOccupancyChange: (clusterId: string, serverId: string, occupied: boolean) => void,
  ) {
    this.wheel = new ExpiryWheel(this.slots, now);
  }

  /** Stores a session; its key must own its characters (see own-copy.ts). */
  insert(session: SavedSession): number {
    const { slots } = this;
    const existing = this.slotOf(session.clusterId, session.key);
    if (existing >= 0) this.removeSlot(existing);
    const slot = slots.allocate();
    const place = slots.place[slot] = this.places.placeOf(session.clusterId, session.serverId);
    slots.keys[slot] = session.key;
    slots.client[slot] = this.clients.acquire(session.client);
    slots.createdAt[slot] = session.createdAt;
    slots.lastSeenAt[slot] = session.lastSeenAt;
    slots.requests[slot] = session.requests;
    this.places.all[place]!.cluster.byKey.add(this.hash(session.key), slot);
    this.wheel.file(slot, this.expiryAt(slot));
    this.size++;
    this.counted(slot, +1);
    this.dirty = true;
    return slot;
  }

  removeSlot(slot: number): void {
    const { slots } = this;
    const place = this.places.all[slots.place[slot]!]!;
    place.cluster.byKey.remove(this.hash(slots.keys[slot]!), slot);
    this.wheel.unfile(slot);
    this.clients.release(slots.client[slot]!);
    this.size--;
    this.counted(slot, -1);
    slots.release(slot);
    this.dirty = true;
  }

  private counted(slot: number, delta: 1 | -1): void {
    const place = this.places.all[this.slots.place[slot]!]!;
    place.count += delta;
    if (delta > 0) {
      place.latestSeenAt = Math.max(place.latestSeenAt, this.slots.lastSeenAt[slot]!);
      place.latestCreatedAt = Math.max(place.latestCreatedAt, this.slots.createdAt[slot]!);
      if (place.count === 1) this.onOccupancyChange(place.cluster.id, place.serverId, true);
    } else if (place.count === 0) {
      place.latestSeenAt = 0;
      place.latestCreatedAt = 0;
      this.onOccupancyChange(place.cluster.id, place.serverId, false);
    }
  }

  slotOf(clusterId: string, key: string): number {
    return this.places.clusters.get(clusterId)?.byKey.find(this.hash(key), key) ?? -1;
  }

  expiryAt(slot: number): number {
    const { slots } = this;
    return expiryUnder(this.places.all[slots.place[slot]!]!.cluster.policy, slots.createdAt[slot]!, slots.lastSeenAt[slot]!);
  }

  /** Calls `each` for every stored session of a cluster (of one of its servers, if given). */
  forEachSlot(clusterId: string, serverId: string | undefined, each: (slot: number) => void): void {
    const cluster = this.places.clusters.get(clusterId);
    const only = serverId === undefined ? undefined : cluster?.places.get(serverId);
    if (!cluster || (serverId !== undefined && only === undefined)) return;
    const { slots } = this;
    for (let slot = 0; slot < slots.highWater; slot++) {
      if (slots.bucket[slot] === NONE) continue;
      const place = slots.place[slot]!;
      if (only === undefined ? this.places.all[place]!.cluster === cluster : place === only) each(slot);
    }
  }

  handle(slot: number): Session {
    const place = this.places.all[this.slots.place[slot]!]!;
    return { key: this.slots.keys[slot]!, clusterId: place.cluster.id, serverId: place.serverId, slot, generation: this.slots.generation[slot]! };
  }

  details(slot: number): SessionDetails {
    const { slots } = this;
    const place = this.places.all[slots.place[slot]!]!;
    return {
      key: slots.keys[slot]!,
      clusterId: place.cluster.id,
      serverId: place.serverId,
      slot,
      generation: slots.generation[slot]!,
      client: this.clients.addressOf(slots.client[slot]!),
      createdAt: slots.createdAt[slot]!,
      lastSeenAt: slots.lastSeenAt[slot]!,
      requests: slots.requests[slot]!,
    };
  }

  private hash(key: string): number {
    return hashString(key, this.seed);
  }
}
