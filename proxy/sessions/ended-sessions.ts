/**
 * Sessions an admin ended. A session's cookie can bring it back as a first return of a tentative
 * session (see session-binder.ts) for as long as a cookie issued with it could; an ended session's
 * cookie must not, or "End session" would undo itself on the user's next request.
 */
const MAX_REMEMBERED = 100_000;

export class EndedSessions {
  /** Session key per cluster → the time after which its cookie could not come back anyway. */
  private readonly until = new Map<string, number>();

  add(clusterId: string, sessionKey: string, until: number, now: number): void {
    this.forgetPast(now);
    if (this.until.size >= MAX_REMEMBERED) this.until.delete(this.until.keys().next().value!);
    this.until.set(keyOf(clusterId, sessionKey), until);
  }

  has(clusterId: string, sessionKey: string, now: number): boolean {
    const until = this.until.get(keyOf(clusterId, sessionKey));
    return until !== undefined && until > now;
  }

  private forgetPast(now: number): void {
    for (const [key, until] of this.until) if (until <= now) this.until.delete(key);
  }
}

function keyOf(clusterId: string, sessionKey: string): string {
  return `${clusterId}\u0000${sessionKey}`;
}
