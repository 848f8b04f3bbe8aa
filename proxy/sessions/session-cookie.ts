/**
 * The affinity cookie: `<serverId>.<sessionId>.<mac>`, where the mac is an HMAC-SHA256 (truncated
 * to 128 bits) of cluster, server and session id under the per-installation secret. A client can
 * neither point itself at another server nor guess someone else's session id.
 *
 * The cookie of a new, still tentative session also carries when it was issued (seconds, base 36):
 * `<serverId>.<sessionId>.<issued>.<mac>`, all of it under the mac, so that the session can be
 * recognised when the client first returns without the gateway having stored anything before.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const SESSION_ID_BYTES = 16;
const MAC_BYTES = 16;
const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
const SERVER_ID_PATTERN = /^[a-z0-9-]{1,40}$/;

export interface CookieSession {
  serverId: string;
  sessionId: string;
  /** When a tentative session's cookie was issued (ms, to the second); absent for stored sessions. */
  issuedAt?: number;
}

const ISSUED_PATTERN = /^[0-9a-z]{1,10}$/;

export class SessionCookieCodec {
  constructor(private readonly secret: Buffer) {}

  newSessionId(): string {
    return randomBytes(SESSION_ID_BYTES).toString('base64url');
  }

  /** With `issuedAt`, the cookie of a tentative session (see above). */
  encode(clusterId: string, serverId: string, sessionId: string, issuedAt?: number): string {
    if (issuedAt === undefined) return `${serverId}.${sessionId}.${this.mac(clusterId, serverId, sessionId).toString('base64url')}`;
    const issued = Math.floor(issuedAt / 1000).toString(36);
    return `${serverId}.${sessionId}.${issued}.${this.mac(clusterId, serverId, `${sessionId}\n${issued}`).toString('base64url')}`;
  }

  /** The session a cookie value names, or undefined for anything malformed or forged. */
  decode(clusterId: string, value: string): CookieSession | undefined {
    const parts = value.split('.');
    if (parts.length !== 3 && parts.length !== 4) return undefined;
    const [serverId, sessionId] = parts as [string, string];
    const issued = parts.length === 4 ? parts[2]! : undefined;
    const macText = parts[parts.length - 1]!;
    if (!SERVER_ID_PATTERN.test(serverId) || !SESSION_ID_PATTERN.test(sessionId)) return undefined;
    if (issued !== undefined && !ISSUED_PATTERN.test(issued)) return undefined;
    const given = Buffer.from(macText, 'base64url');
    if (given.length !== MAC_BYTES || given.toString('base64url') !== macText) return undefined;
    const expected = this.mac(clusterId, serverId, issued === undefined ? sessionId : `${sessionId}\n${issued}`);
    if (!timingSafeEqual(given, expected)) return undefined;
    return issued === undefined ? { serverId, sessionId } : { serverId, sessionId, issuedAt: parseInt(issued, 36) * 1000 };
  }

  private mac(clusterId: string, serverId: string, sessionId: string): Buffer {
    return createHmac('sha256', this.secret)
      .update(`${clusterId}\n${serverId}\n${sessionId}`)
      .digest()
      .subarray(0, MAC_BYTES);
  }
}

/** The value of one cookie in a Cookie header, without parsing the others. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  let from = 0;
  while (from < header.length) {
    const start = header.indexOf(name, from);
    if (start < 0) return undefined;
    const before = start === 0 ? ' ' : header[start - 1];
    const equals = start + name.length;
    if ((before === ' ' || before === ';') && header[equals] === '=') {
      const end = header.indexOf(';', equals);
      return header.slice(equals + 1, end < 0 ? undefined : end).trim();
    }
    from = start + name.length;
  }
  return undefined;
}

export function serializeSessionCookie(name: string, value: string, secure: boolean): string {
  return `${name}=${value}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}
