/**
 * New cookie sessions of one server that their clients have not yet come back with. They are not
 * stored (a flood of cookie-less requests costs no memory), only counted per second over the
 * tentative window, so that balancing still sees the new users a server just received and a
 * draining server waits for clients that may still return with its cookie, but no longer.
 */
export class TentativeSessions {
  /** Sessions issued in each second of the window, indexed by second modulo the window. */
  private counts: Uint32Array;
  private seconds: Float64Array;
  private total = 0;

  constructor(private windowSec: number) {
    this.counts = new Uint32Array(windowSec);
    this.seconds = new Float64Array(windowSec).fill(-1);
  }

  /** Starts over with another window length, forgetting what was counted. */
  resize(windowSec: number): void {
    if (windowSec === this.windowSec) return;
    this.windowSec = windowSec;
    this.counts = new Uint32Array(windowSec);
    this.seconds = new Float64Array(windowSec).fill(-1);
    this.total = 0;
  }

  /** A new tentative session was issued at `now`. */
  add(now: number): void {
    const second = Math.floor(now / 1000);
    const slot = second % this.windowSec;
    if (this.seconds[slot] !== second) {
      this.total -= this.counts[slot]!;
      this.counts[slot] = 0;
      this.seconds[slot] = second;
    }
    this.counts[slot]!++;
    this.total++;
  }

  /** A tentative session issued at `issuedAt` came back and is stored now: it no longer counts here. */
  confirmed(issuedAt: number): void {
    const second = Math.floor(issuedAt / 1000);
    const slot = second % this.windowSec;
    if (this.seconds[slot] === second && this.counts[slot]! > 0) {
      this.counts[slot]!--;
      this.total--;
    }
  }

  /** Tentative sessions issued within the window before `now`. */
  count(now: number): number {
    this.expire(now);
    return this.total;
  }

  /** Whether a tentative session issued at `issuedAt` is still within the window at `now`. */
  withinWindow(issuedAt: number, now: number): boolean {
    return now - issuedAt < this.windowSec * 1000;
  }

  private expire(now: number): void {
    if (this.total === 0) return;
    const oldest = Math.floor(now / 1000) - this.windowSec;
    for (let slot = 0; slot < this.windowSec; slot++) {
      if (this.seconds[slot]! <= oldest && this.counts[slot]! > 0) {
        this.total -= this.counts[slot]!;
        this.counts[slot] = 0;
      }
    }
  }
}
