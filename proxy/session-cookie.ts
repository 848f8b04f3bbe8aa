/**
 * The affinity cookie: `<serverId>.<sessionId>.<mac>`, where the mac is an HMAC-SHA256 (truncated
 * to 128 bits) of cluster, server and session id under the per-installation secret. A client can
 * neither point itself at another server nor guess someone else's session id.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const SESSION_ID_BYTES = 16;
const MAC_BYTES = 16;
const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
const SERVER_ID_PATTERN = /^[a-z0-9-]{1,40}$/;

export interface CookieSession {
  serverId: string;
  sessionId: string;
}

export class SessionCookieCodec {
  constructor(private readonly secret: Buffer) {}

  newSessionId(): string {
    return randomBytes(SESSION_ID_BYTES).toString('base64url');
  }

  encode(clusterId: string, serverId: string, sessionId: string): string {
    return `${serverId}.${sessionId}.${this.mac(clusterId, serverId, sessionId).toString('base64url')}`;
  }

  /** The session a cookie value names, or undefined for anything malformed or forged. */
  decode(clusterId: string, value: string): CookieSession | undefined {
    const parts = value.split('.');
    if (parts.length !== 3) return undefined;
    const [serverId, sessionId, macText] = parts as [string, string, string];
    if (!SERVER_ID_PATTERN.test(serverId) || !SESSION_ID_PATTERN.test(sessionId)) return undefined;
    const given = Buffer.from(macText, 'base64url');
    if (given.length !== MAC_BYTES || given.toString('base64url') !== macText) return undefined;
    const expected = this.mac(clusterId, serverId, sessionId);
    return timingSafeEqual(given, expected) ? { serverId, sessionId } : undefined;
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
