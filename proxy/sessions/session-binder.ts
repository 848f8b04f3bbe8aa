/**
 * Binds a request to its session and server: a live session stays with its server while that
 * server is active or draining; anything else gets a new session from the balancer.
 *
 * A new cookie session is tentative: the client gets its cookie, but nothing is stored until the
 * client comes back with it, so requests that never return a cookie (bots, floods, forged
 * cookies) cost no memory. The returning cookie names its server and when it was issued, which
 * is all it takes to store the session then.
 */
import { EndedSessions } from './ended-sessions.js';
import type http from 'node:http';
import type { ClusterRuntime, ServerRuntime } from '../runtime/cluster-runtime.js';
import { readCookie, serializeSessionCookie, type CookieSession, type SessionCookieCodec } from './session-cookie.js';
import { unstoredSession, type Session, type SessionDetails, type SessionTable } from './session-table.js';

/** A clock set back by up to this much still lets a tentative cookie count as just issued. */
const CLOCK_STEP_BACK_MS = 60_000;

export interface SessionLimits {
  /** Stored sessions one client address may hold (0 for no limit); read on every use. */
  perClient(): number;
  /** A client reached its limit: its new session is served but not stored. */
  onClientLimit(client: string, cluster: ClusterRuntime): void;
}

const NO_LIMITS: SessionLimits = { perClient: () => 0, onClientLimit: () => {} };

/**
 * The last cookie verified on a connection. A browser sends the same cookie with every request on
 * a kept-alive connection, so its HMAC is checked once per connection instead of once per request.
 */
const VERIFIED_COOKIE = Symbol('switchboard.verifiedCookie');
type CookieCheckedSocket = { [VERIFIED_COOKIE]?: { clusterId: string; value: string; decoded: CookieSession } };

export interface Binding {
  server: ServerRuntime;
  session: Session;
  /** A Set-Cookie value to send with the response when the client's cookie must change. */
  setCookie: string | null;
}

export class SessionBinder {
  constructor(
    private readonly table: SessionTable,
    private readonly cookies: SessionCookieCodec,
    private readonly limits: SessionLimits = NO_LIMITS,
  ) {}

  private readonly ended = new EndedSessions();

  /** Ends a stored session for good: its cookie will not bring it back. */
  end(session: SessionDetails, now: number): void {
    this.table.remove(session);
    const lastConfirmable = this.table.expiryOf({ clusterId: session.clusterId, createdAt: session.createdAt, lastSeenAt: session.createdAt });
    this.ended.add(session.clusterId, session.key, lastConfirmable + CLOCK_STEP_BACK_MS, now);
  }

  bind(cluster: ClusterRuntime, req: http.IncomingMessage, client: string, secure: boolean, now: number): Binding | undefined {
    const byCookie = cluster.config.sessionMethod === 'cookie';
    let cookieServerId: string | undefined;
    let session: Session | undefined;
    if (byCookie) {
      const value = readCookie(req.headers.cookie, cluster.cookieName);
      const decoded = value === undefined ? undefined : this.verifiedCookie(req, cluster.id, value);
      if (decoded) {
        cookieServerId = decoded.serverId;
        session = this.table.lookup(cluster.id, decoded.sessionId, now);
        if (!session && decoded.issuedAt !== undefined) {
          const confirmed = this.confirm(cluster, decoded, decoded.issuedAt, client, now);
          if (confirmed) return confirmed;
        }
      }
    } else {
      session = this.table.lookup(cluster.id, client, now);
    }

    if (session) {
      const server = cluster.servers.get(session.serverId);
      if (server?.keepsSessions) {
        this.table.touch(session, now);
        const setCookie = byCookie && cookieServerId !== session.serverId ? this.cookieFor(cluster, session, secure) : null;
        return { server, session, setCookie };
      }
      // Its server is offline, disabled or gone: the user starts over elsewhere.
      this.table.remove(session);
    }
    return this.start(cluster, client, secure, now);
  }

  private verifiedCookie(req: http.IncomingMessage, clusterId: string, value: string): CookieSession | undefined {
    const socket = req.socket as unknown as CookieCheckedSocket;
    const cached = socket[VERIFIED_COOKIE];
    if (cached && cached.value === value && cached.clusterId === clusterId) return cached.decoded;
    const decoded = this.cookies.decode(clusterId, value);
    if (decoded) socket[VERIFIED_COOKIE] = { clusterId, value, decoded };
    return decoded;
  }

  /**
   * A tentative session's client came back with its cookie: the session is stored now, on the
   * server the cookie names, as if it had been stored when the cookie was issued. Not when the
   * cookie is older than the session timeout, or when its server stopped taking new sessions and
   * the cookie is older than the tentative window (a draining server waits that long, no longer).
   */
  private confirm(cluster: ClusterRuntime, decoded: CookieSession, issuedAt: number, client: string, now: number): Binding | undefined {
    const server = cluster.servers.get(decoded.serverId);
    if (!server?.keepsSessions || issuedAt > now + CLOCK_STEP_BACK_MS) return undefined;
    if (this.ended.has(cluster.id, decoded.sessionId, now)) return undefined;
    if (this.table.expiryOf({ clusterId: cluster.id, createdAt: issuedAt, lastSeenAt: issuedAt }) <= now) return undefined;
    if (server.state !== 'active' && !server.tentative.withinWindow(issuedAt, now)) return undefined;
    const limit = this.limits.perClient();
    if (limit > 0 && this.table.countOfClient(client) >= limit) {
      this.limits.onClientLimit(client, cluster);
      return { server, session: unstoredSession(cluster.id, server.id, decoded.sessionId), setCookie: null };
    }
    server.tentative.confirmed(issuedAt);
    // The request that issued the cookie was this session's first.
    const session = this.table.create(cluster.id, server.id, decoded.sessionId, client, now, Math.min(issuedAt, now), 1);
    this.table.touch(session, now);
    return { server, session, setCookie: null };
  }

  /** Moves a binding whose server failed to another server, with a fresh session. */
  moveElsewhere(cluster: ClusterRuntime, failed: Binding, client: string, secure: boolean, now: number): Binding | undefined {
    const server = cluster.pickServer(failed.server);
    if (!server) return undefined;
    this.table.remove(failed.session);
    return this.startOn(cluster, server, client, secure, now);
  }

  private start(cluster: ClusterRuntime, client: string, secure: boolean, now: number): Binding | undefined {
    const server = cluster.pickServer();
    return server ? this.startOn(cluster, server, client, secure, now) : undefined;
  }

  private startOn(cluster: ClusterRuntime, server: ServerRuntime, client: string, secure: boolean, now: number): Binding {
    if (cluster.config.sessionMethod === 'cookie') {
      const session = unstoredSession(cluster.id, server.id, this.cookies.newSessionId());
      server.tentative.add(now);
      return { server, session, setCookie: this.cookieFor(cluster, session, secure, now) };
    }
    // One session per client address: bounded by the addresses there are, so stored at once.
    const session = this.table.create(cluster.id, server.id, client, client, now);
    this.table.touch(session, now);
    return { server, session, setCookie: null };
  }

  /** The cookie for a stored session, or with `issuedAt` for a tentative one. */
  private cookieFor(cluster: ClusterRuntime, session: Session, secure: boolean, issuedAt?: number): string {
    return serializeSessionCookie(cluster.cookieName, this.cookies.encode(cluster.id, session.serverId, session.key, issuedAt), secure);
  }
}
