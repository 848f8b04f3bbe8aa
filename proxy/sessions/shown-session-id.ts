/** How a session is named in logs and lists: enough to follow one user, never enough to take over the session. */
import type { ClusterConfig } from '../config/config-schema.js';

/** Characters of a cookie session's id that are shown; the rest would let someone forge or steal the cookie. */
export const SHOWN_SESSION_ID_LENGTH = 8;

/** A cookie session's id cut to its first characters; a client-IP session's key is the client's address, shown whole. */
export function shownSessionId(sessionMethod: ClusterConfig['sessionMethod'], key: string): string {
  return sessionMethod === 'cookie' ? key.slice(0, SHOWN_SESSION_ID_LENGTH) : key;
}
