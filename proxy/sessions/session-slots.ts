/**
 * The stored sessions as columns: one typed array per field, a session being a slot number in all
 * of them. A million sessions are then a few dozen megabytes of arrays rather than a million
 * objects for the garbage collector to trace. Freed slots are reused; a slot's generation changes
 * each time it is freed, so that a handle to a session that ended never reaches its successor.
 */
const INITIAL_CAPACITY = 1024;
/** `next` of the last free slot, and `bucket` of a free slot. */
export const NONE = -1;

export class SessionSlots {
  keys: string[] = [];
  /** The cluster's server (see ServerPlaces) each session is bound to. */
  place = new Int32Array(INITIAL_CAPACITY);
  /** The client number (see ClientCounts). */
  client = new Int32Array(INITIAL_CAPACITY);
  /** Epoch milliseconds, exactly as given. */
  createdAt = new Float64Array(INITIAL_CAPACITY);
  lastSeenAt = new Float64Array(INITIAL_CAPACITY);
  requests = new Uint32Array(INITIAL_CAPACITY);
  /** The expiry bucket the session is filed in (see ExpiryWheel); NONE for a free slot. */
  bucket = new Int32Array(INITIAL_CAPACITY).fill(NONE);
  /** Neighbours in the session's expiry bucket; `next` also chains the free slots. */
  prev = new Int32Array(INITIAL_CAPACITY);
  next = new Int32Array(INITIAL_CAPACITY);
  generation = new Uint32Array(INITIAL_CAPACITY);
  /** Slots ever used: every live slot is below it. */
  highWater = 0;
  private firstFree = NONE;

  get capacity(): number {
    return this.place.length;
  }

  /** A free slot, its fields to be written by the caller. */
  allocate(): number {
    if (this.firstFree !== NONE) {
      const slot = this.firstFree;
      this.firstFree = this.next[slot]!;
      return slot;
    }
    if (this.highWater === this.capacity) this.grow();
    this.keys.push('');
    return this.highWater++;
  }

  isLive(slot: number, generation: number): boolean {
    return slot >= 0 && slot < this.highWater && this.generation[slot] === generation && this.bucket[slot] !== NONE;
  }

  /** Frees a slot that is no longer filed in any expiry bucket. */
  release(slot: number): void {
    this.keys[slot] = '';
    this.bucket[slot] = NONE;
    this.generation[slot] = (this.generation[slot]! + 1) >>> 0;
    this.next[slot] = this.firstFree;
    this.firstFree = slot;
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    this.place = resized(this.place, new Int32Array(capacity));
    this.client = resized(this.client, new Int32Array(capacity));
    this.createdAt = resized(this.createdAt, new Float64Array(capacity));
    this.lastSeenAt = resized(this.lastSeenAt, new Float64Array(capacity));
    this.requests = resized(this.requests, new Uint32Array(capacity));
    this.bucket = resized(this.bucket, new Int32Array(capacity).fill(NONE));
    this.prev = resized(this.prev, new Int32Array(capacity));
    this.next = resized(this.next, new Int32Array(capacity));
    this.generation = resized(this.generation, new Uint32Array(capacity));
  }
}

function resized<T extends Int32Array | Uint32Array | Float64Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}
