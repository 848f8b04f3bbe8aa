/**
 * A session as the gateway passes it around: a small handle naming the session and the slot the
 * session table keeps it in, so that a request costs no copy of what is stored.
 */
import { NONE } from './session-slots.js';

/** A session as the gateway passes it around: which it is, and where the table keeps it. */
export interface Session {
  readonly key: string;
  readonly clusterId: string;
  readonly serverId: string;
  /** The slot it is stored in, NONE for a session that is served but not stored. */
  readonly slot: number;
  readonly generation: number;
}

/** A stored session with everything known about it, as listed. */
export interface SessionDetails extends Session {
  readonly client: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  readonly requests: number;
}

/**
 * A session that is served but not stored: a tentative one, or one beyond its client's limit.
 * Removing it is a no-op, and it never counts anywhere.
 */
export function unstoredSession(clusterId: string, serverId: string, key: string): Session {
  return { key, clusterId, serverId, slot: NONE, generation: 0 };
}
