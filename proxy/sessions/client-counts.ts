/**
 * Live sessions per client address, each address kept once however many sessions it holds. An IPv4
 * address in its usual dotted form is kept as the 32-bit number it is, so a million clients cost no
 * million strings; any other address is kept as its own copy of the text.
 */
import { HashIndex, hashInt, hashString } from './hash-index.js';
import { ownCopy } from './own-copy.js';

export class ClientCounts {
  /** Each client's address: a number for a dotted IPv4 address, else the text. */
  private addresses: (number | string)[] = [];
  /** Live sessions of each client; for a free client number, the next free one (a chain, so freeing never allocates). */
  private counts = new Int32Array(64);
  private firstFree = -1;
  private readonly seed = (Math.random() * 2 ** 32) | 0;
  private readonly index = new HashIndex<number | string>((client, address) => this.addresses[client] === address);

  /** Counts one more session of `address`; returns the client's number. */
  acquire(address: string): number {
    const key = addressKey(address);
    const hash = this.hash(key);
    let client = this.index.find(hash, key);
    if (client < 0) {
      if (this.firstFree >= 0) {
        client = this.firstFree;
        this.firstFree = this.counts[client]!;
      } else {
        client = this.addresses.length;
        this.addresses.push(0);
      }
      if (client >= this.counts.length) {
        const counts = new Int32Array(this.counts.length * 2);
        counts.set(this.counts);
        this.counts = counts;
      }
      this.addresses[client] = typeof key === 'string' ? ownCopy(key) : key;
      this.counts[client] = 0;
      this.index.add(hash, client);
    }
    this.counts[client]!++;
    return client;
  }

  /** Counts one session of client number `client` less. */
  release(client: number): void {
    if (--this.counts[client]! > 0) return;
    const key = this.addresses[client]!;
    this.index.remove(this.hash(key), client);
    this.addresses[client] = 0;
    this.counts[client] = this.firstFree;
    this.firstFree = client;
  }

  countOf(address: string): number {
    const key = addressKey(address);
    const client = this.index.find(this.hash(key), key);
    return client < 0 ? 0 : this.counts[client]!;
  }

  /** The address as kept: a number (see above) for a dotted IPv4 address, else the text. */
  keptAddress(client: number): number | string {
    return this.addresses[client]!;
  }

  addressOf(client: number): string {
    const key = this.addresses[client]!;
    return typeof key === 'string' ? key : `${key >>> 24}.${(key >>> 16) & 255}.${(key >>> 8) & 255}.${key & 255}`;
  }

  private hash(key: number | string): number {
    return typeof key === 'string' ? hashString(key, this.seed) : hashInt(key, this.seed);
  }
}

/** A dotted IPv4 address as a 32-bit integer when it reads back the same; otherwise the text. */
function addressKey(address: string): number | string {
  if (address.length < 7 || address.length > 15) return address;
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < address.length; i++) {
    const code = address.charCodeAt(i);
    if (code === 46) {
      if (digits === 0 || dots === 3) return address;
      value = (value << 8) | octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (code >= 48 && code <= 57) {
      // A leading zero would not read back the same.
      if (digits > 0 && octet === 0) return address;
      octet = octet * 10 + (code - 48);
      if (++digits > 3 || octet > 255) return address;
    } else {
      return address;
    }
  }
  if (digits === 0 || dots !== 3) return address;
  return (value << 8) | octet;
}
