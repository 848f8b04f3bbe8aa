/**
 * Binds a request to its session and server: a live session stays with its server while that
 * server is active or draining; anything else gets a new session from the balancer.
 */
import type http from 'node:http';
import type { ClusterRuntime, ServerRuntime } from './cluster-runtime.js';
import { readCookie, serializeSessionCookie, type CookieSession, type SessionCookieCodec } from './session-cookie.js';
import type { Session, SessionTable } from './session-table.js';

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
  ) {}

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
    const byCookie = cluster.config.sessionMethod === 'cookie';
    const key = byCookie ? this.cookies.newSessionId() : client;
    const session = this.table.create(cluster.id, server.id, key, client, now);
    this.table.touch(session, now);
    return { server, session, setCookie: byCookie ? this.cookieFor(cluster, session, secure) : null };
  }

  private cookieFor(cluster: ClusterRuntime, session: Session, secure: boolean): string {
    return serializeSessionCookie(cluster.cookieName, this.cookies.encode(cluster.id, session.serverId, session.key), secure);
  }
}
