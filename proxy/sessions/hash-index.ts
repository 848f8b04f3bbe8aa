/**
 * An open-addressing hash index from keys to item numbers, in two typed arrays: a few bytes per
 * entry instead of a Map's dozens, and removing entries never rebuilds the table, so that a million
 * sessions expiring cost no pause to reorganise it. The items and their keys live elsewhere; the
 * index asks `matches` whether an item has the key it looks for.
 */
const EMPTY = -1;
const MAX_LOAD = 0.75;

export class HashIndex<Key> {
  /** The item in each cell, or EMPTY. */
  private items: Int32Array;
  /** The full hash of each cell's item, compared before asking `matches`. */
  private hashes: Int32Array;
  private mask: number;
  private used = 0;

  constructor(
    private readonly matches: (item: number, key: Key) => boolean,
    initialCapacity = 16,
  ) {
    const capacity = 2 ** Math.ceil(Math.log2(Math.max(initialCapacity, 4)));
    this.items = new Int32Array(capacity).fill(EMPTY);
    this.hashes = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.used;
  }

  /** The item filed under `hash` that has `key`, or -1. */
  find(hash: number, key: Key): number {
    const { items, hashes, mask } = this;
    for (let cell = hash & mask; ; cell = (cell + 1) & mask) {
      const item = items[cell]!;
      if (item === EMPTY) return -1;
      if (hashes[cell] === hash && this.matches(item, key)) return item;
    }
  }

  /** Files an item that is not in the index yet. */
  add(hash: number, item: number): void {
    if ((this.used + 1) > this.items.length * MAX_LOAD) this.grow();
    this.place(hash, item);
    this.used++;
  }

  /** Takes an item out; later entries of its probe run move back, so no tombstone is left. */
  remove(hash: number, item: number): void {
    const { items, hashes, mask } = this;
    let hole = hash & mask;
    while (items[hole] !== item) {
      if (items[hole] === EMPTY) return;
      hole = (hole + 1) & mask;
    }
    for (let next = (hole + 1) & mask; items[next] !== EMPTY; next = (next + 1) & mask) {
      const home = hashes[next]! & mask;
      // The entry at `next` may fill the hole only if its probe run passes through the hole.
      if (((next - home) & mask) >= ((next - hole) & mask)) {
        items[hole] = items[next]!;
        hashes[hole] = hashes[next]!;
        hole = next;
      }
    }
    items[hole] = EMPTY;
    this.used--;
  }

  private place(hash: number, item: number): void {
    const { items, mask } = this;
    let cell = hash & mask;
    while (items[cell] !== EMPTY) cell = (cell + 1) & mask;
    items[cell] = item;
    this.hashes[cell] = hash;
  }

  private grow(): void {
    const oldItems = this.items;
    const oldHashes = this.hashes;
    this.items = new Int32Array(oldItems.length * 2).fill(EMPTY);
    this.hashes = new Int32Array(oldItems.length * 2);
    this.mask = this.items.length - 1;
    for (let cell = 0; cell < oldItems.length; cell++) {
      if (oldItems[cell] !== EMPTY) this.place(oldHashes[cell]!, oldItems[cell]!);
    }
  }
}

/** A seeded FNV-1a hash of a string: the seed, chosen per process, keeps colliding keys from being precomputed. */
export function hashString(text: string, seed: number): number {
  let hash = seed ^ 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash ^ (hash >>> 15);
}

/** A hash of a 32-bit number, mixed so that neighbouring numbers land far apart. */
export function hashInt(value: number, seed: number): number {
  let hash = Math.imul(value ^ seed, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return hash ^ (hash >>> 16);
}
