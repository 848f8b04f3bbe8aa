/** A count of events over a sliding time window, kept in a fixed ring of time buckets (no allocation per event). */
export class WindowedCounter {
  private readonly counts: Uint32Array;
  /** The bucket number (time / bucketMs) each slot holds, so a stale slot is known without a sweep. */
  private readonly slots: Float64Array;

  constructor(
    private readonly bucketMs: number,
    buckets: number,
  ) {
    this.counts = new Uint32Array(buckets);
    this.slots = new Float64Array(buckets).fill(-1);
  }

  add(now: number, amount = 1): void {
    const bucket = Math.floor(now / this.bucketMs);
    const slot = bucket % this.counts.length;
    if (this.slots[slot] !== bucket) {
      this.slots[slot] = bucket;
      this.counts[slot] = 0;
    }
    this.counts[slot] = this.counts[slot]! + amount;
  }

  /** Events in the window that ends at `now`: the current bucket and the ones before it. */
  total(now: number): number {
    const newest = Math.floor(now / this.bucketMs);
    const oldest = newest - this.counts.length + 1;
    let sum = 0;
    for (let slot = 0; slot < this.counts.length; slot++) {
      const bucket = this.slots[slot]!;
      if (bucket >= oldest && bucket <= newest) sum += this.counts[slot]!;
    }
    return sum;
  }

  /** Events in the `buckets` whole buckets before the one `now` falls in (fewer than the ring holds). */
  completed(now: number, buckets: number): number {
    const current = Math.floor(now / this.bucketMs);
    let sum = 0;
    for (let slot = 0; slot < this.counts.length; slot++) {
      const bucket = this.slots[slot]!;
      if (bucket >= current - buckets && bucket < current) sum += this.counts[slot]!;
    }
    return sum;
  }
}
