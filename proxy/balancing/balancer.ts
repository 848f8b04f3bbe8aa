/**
 * Picks the server for a new session among the eligible (`active`) ones, in proportion to capacity.
 * Existing sessions never pass through here: capacity never moves a session.
 */

export interface BalanceCandidate {
  id: string;
  /** 1–100; servers at 0 are never candidates. */
  capacity: number;
  /** Live sessions now bound to the server. */
  sessions: number;
}

export interface Balancer {
  pick(candidates: readonly BalanceCandidate[]): BalanceCandidate | undefined;
}

/** Fewest live sessions relative to capacity; ties go to the larger capacity, then the first listed. */
export class LeastSessionsBalancer implements Balancer {
  pick(candidates: readonly BalanceCandidate[]): BalanceCandidate | undefined {
    let best: BalanceCandidate | undefined;
    for (const candidate of candidates) {
      if (!best) {
        best = candidate;
        continue;
      }
      // Compare sessions/capacity without dividing.
      const lhs = candidate.sessions * best.capacity;
      const rhs = best.sessions * candidate.capacity;
      if (lhs < rhs || (lhs === rhs && candidate.capacity > best.capacity)) best = candidate;
    }
    return best;
  }
}

/**
 * Smooth weighted round-robin (as nginx does it): every pick adds each server's capacity to its
 * running weight, takes the heaviest and subtracts the total from it, which interleaves servers
 * instead of sending runs of sessions to the same one.
 */
export class SmoothRoundRobinBalancer implements Balancer {
  private readonly current = new Map<string, number>();

  pick(candidates: readonly BalanceCandidate[]): BalanceCandidate | undefined {
    let best: BalanceCandidate | undefined;
    let bestWeight = -Infinity;
    let total = 0;
    for (const candidate of candidates) {
      const weight = (this.current.get(candidate.id) ?? 0) + candidate.capacity;
      this.current.set(candidate.id, weight);
      total += candidate.capacity;
      if (weight > bestWeight) {
        best = candidate;
        bestWeight = weight;
      }
    }
    if (best) this.current.set(best.id, bestWeight - total);
    return best;
  }

  /** Forget servers that left, so that a returning one starts fresh. */
  retain(ids: ReadonlySet<string>): void {
    for (const id of this.current.keys()) if (!ids.has(id)) this.current.delete(id);
  }
}
