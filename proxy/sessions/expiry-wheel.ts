/**
 * When sessions expire, without scanning the table: each session is filed in a one-second bucket at
 * the time it would expire, the buckets being doubly linked lists through the session slots. A
 * request only updates a session's last-seen time; when its bucket comes due, the sweeper either
 * expires it or files it again at its new expiry. So a session is looked at about once per timeout
 * period, and moving or removing one never allocates.
 */
import { NONE, type SessionSlots } from './session-slots.js';

export class ExpiryWheel {
  /** First slot of each non-empty bucket; buckets are seconds counted from `origin`. */
  private readonly heads = new Map<number, number>();
  private readonly origin: number;
  /** The bucket the sweeper is at: sessions are filed after it. */
  private cursor = 0;

  constructor(
    private readonly slots: SessionSlots,
    now: number,
  ) {
    this.origin = Math.floor(now / 1000);
  }

  /** Files a session to be looked at once `expiry` (epoch ms) has passed. */
  file(slot: number, expiry: number): void {
    const bucket = Math.max(Math.ceil(expiry / 1000) - this.origin, this.cursor + 1);
    const slots = this.slots;
    if (slots.bucket[slot] === bucket) return;
    if (slots.bucket[slot] !== NONE) this.unfile(slot);
    const head = this.heads.get(bucket) ?? NONE;
    slots.bucket[slot] = bucket;
    slots.prev[slot] = NONE;
    slots.next[slot] = head;
    if (head !== NONE) slots.prev[head] = slot;
    this.heads.set(bucket, slot);
  }

  /** Takes a session out of its bucket (before its slot is freed, or filed elsewhere). */
  unfile(slot: number): void {
    const slots = this.slots;
    const bucket = slots.bucket[slot]!;
    const prev = slots.prev[slot]!;
    const next = slots.next[slot]!;
    if (next !== NONE) slots.prev[next] = prev;
    if (prev !== NONE) slots.next[prev] = next;
    else if (next !== NONE) this.heads.set(bucket, next);
    else this.heads.delete(bucket);
  }

  /**
   * A session whose bucket is due at `now`, or NONE when every due bucket is empty. The caller
   * must take it out of its bucket (expire it or file it again) before asking for the next one.
   */
  due(now: number): number {
    const nowBucket = Math.floor(now / 1000) - this.origin;
    while (this.cursor <= nowBucket) {
      const head = this.heads.get(this.cursor);
      if (head !== undefined) return head;
      this.cursor++;
    }
    return NONE;
  }
}
