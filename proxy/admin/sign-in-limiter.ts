/**
 * Slows down guessing of the admin token: an address that fails to sign in `maxFailures` times
 * within `windowMs` is refused for `blockMs`, whatever it sends. Addresses are counted apart, so
 * one address's failures or successes never affect another's. At most `maxAddresses` addresses
 * are remembered; beyond that the one least recently seen failing is forgotten, so memory stays
 * bounded however many addresses an attacker has.
 */

export interface SignInLimiterOptions {
  maxFailures?: number;
  windowMs?: number;
  blockMs?: number;
  maxAddresses?: number;
  now?: () => number;
}

export interface FailureOutcome {
  /** This failure used up the allowance: the address is refused from now on for `blockMs`. */
  blocked: boolean;
}

interface AddressRecord {
  /** Times of failures inside the window, oldest first; never longer than `maxFailures`. */
  failures: number[];
  blockedUntil: number;
}

export class SignInLimiter {
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly blockMs: number;
  private readonly maxAddresses: number;
  private readonly now: () => number;
  private readonly records = new Map<string, AddressRecord>();

  constructor(options: SignInLimiterOptions = {}) {
    this.maxFailures = options.maxFailures ?? 10;
    this.windowMs = options.windowMs ?? 60_000;
    this.blockMs = options.blockMs ?? 60_000;
    this.maxAddresses = options.maxAddresses ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** How many addresses are remembered (for tests of the bound). */
  get size(): number {
    return this.records.size;
  }

  /** Milliseconds until `address` may try again; 0 when it may now. */
  retryAfterMs(address: string): number {
    const record = this.records.get(address);
    return record ? Math.max(0, record.blockedUntil - this.now()) : 0;
  }

  recordFailure(address: string): FailureOutcome {
    const now = this.now();
    const record = this.records.get(address) ?? { failures: [], blockedUntil: 0 };
    // Re-inserted so that the map's order is least recently failing first.
    this.records.delete(address);
    while (record.failures.length > 0 && record.failures[0]! <= now - this.windowMs) record.failures.shift();
    record.failures.push(now);
    let blocked = false;
    if (record.failures.length >= this.maxFailures) {
      record.blockedUntil = now + this.blockMs;
      record.failures = [];
      blocked = true;
    }
    this.records.set(address, record);
    if (this.records.size > this.maxAddresses) this.records.delete(this.records.keys().next().value!);
    return { blocked };
  }
}
