/**
 * The kept-alive connections to one backend server that requests take turns on. Each is an undici
 * `Client`: one socket at a time, reopened when the backend closed the last. At most `limit` exist;
 * the most recently used idle one goes first, so that the others idle out and close; a request that
 * finds them all busy waits its turn, up to its own limit.
 *
 * The set is ours rather than undici's `Pool` because the gateway must know, for every request,
 * whether it goes out over a connection that already carried one: only then is a failure before
 * the first byte of the answer the keep-alive race, safe to send again (see backend-exchange.ts).
 */
import { Client, type buildConnector } from 'undici';

export interface BackendConnection {
  readonly client: Client;
  /**
   * The socket the next request goes out on is open and has carried a request already, so the
   * backend may have just closed it. Only true once undici writes the request: a connection handed
   * out just as undici closes it (after a HEAD, or an answer with `Connection: close`) gets a new one.
   */
  readonly reused: boolean;
}

/** A request waiting for a connection. */
export interface ConnectionWaiter {
  /** A connection is free for the request, which must give it back with `release` once done. */
  connected(connection: BackendConnection): void;
  /** Every connection stayed busy for as long as the request may wait. */
  timedOut(): void;
  /** The request no longer needs a connection (its client left): it is skipped when its turn comes. */
  readonly abandoned: boolean;
}

export interface BackendConnectionOptions {
  /** How many connections may be open at once. */
  limit: number;
  /** How long a connection may sit idle before the gateway closes it, below the backend's own timeout. */
  idleTimeoutMs: number;
  connect: buildConnector.connector;
}

/** Connection bookkeeping around one undici client. */
class PooledConnection implements BackendConnection {
  open = false;
  /** Requests answered over the current socket. */
  carried = 0;

  constructor(readonly client: Client) {
    client.on('connect', () => {
      this.open = true;
      this.carried = 0;
    });
    client.on('disconnect', () => (this.open = false));
    // A connection failure is reported to the request that asked for it; the client only closes.
    client.on('connectionError', () => (this.open = false));
  }

  /** Whether the next request goes out over a socket that already carried one. */
  get reused(): boolean {
    return this.open && this.carried > 0;
  }
}

export class BackendConnections {
  private readonly idle: PooledConnection[] = [];
  private created = 0;
  private readonly waiting: { waiter: ConnectionWaiter; timer: NodeJS.Timeout }[] = [];
  private closed = false;

  /**
   * The TLS name every request on these connections gives undici. By default undici takes it from
   * the Host header and opens a new connection whenever it differs from the last request's, so
   * users who call the site by different names (`portal`, `portal.corp.local`) would cost a new
   * connection and handshake each time. The name actually sent is the server's own, set by the
   * connector (backend-tls.ts); this one only has to stay the same.
   */
  readonly tlsName: string;

  constructor(
    private readonly origin: string,
    private readonly options: BackendConnectionOptions,
  ) {
    this.tlsName = new URL(origin).hostname;
  }

  get limit(): number {
    return this.options.limit;
  }

  get idleTimeoutMs(): number {
    return this.options.idleTimeoutMs;
  }

  /**
   * Requests under way on these connections: connections handed out and not yet given back, plus
   * any request an idle connection's client still holds. 0 whenever nothing is in flight.
   */
  get requestsUnderWay(): number {
    let count = this.created - this.idle.length;
    for (const connection of this.idle) count += connection.client.stats.running + connection.client.stats.pending;
    return count;
  }

  /** Hands the waiter a connection now if one is free, else when one frees up, else tells it time is up. */
  acquire(waiter: ConnectionWaiter, waitMs: number): void {
    if (this.closed) {
      waiter.timedOut();
      return;
    }
    const connection = this.idle.pop() ?? this.create();
    if (connection) {
      waiter.connected(connection);
      return;
    }
    const entry = { waiter, timer: setTimeout(() => this.giveUp(entry), waitMs) };
    this.waiting.push(entry);
  }

  /** Gives a connection back after its request ended, for the next one in line. */
  release(connection: BackendConnection): void {
    if (!(connection instanceof PooledConnection) || this.closed) {
      connection.client.close().catch(() => undefined);
      return;
    }
    const pooled = connection;
    pooled.carried++;
    while (this.waiting.length > 0) {
      const { waiter, timer } = this.waiting.shift()!;
      clearTimeout(timer);
      if (waiter.abandoned) continue;
      waiter.connected(pooled);
      return;
    }
    this.idle.push(pooled);
  }

  /** A connection of its own for one request, closed when it is released: for the retry after the keep-alive race. */
  fresh(): BackendConnection {
    return { client: this.newClient({ keepAliveTimeout: 1 }), reused: false };
  }

  /** Closes the idle connections now and the busy ones as their requests end; waiting requests get no connection. */
  close(): void {
    this.closed = true;
    for (const { waiter, timer } of this.waiting.splice(0)) {
      clearTimeout(timer);
      if (!waiter.abandoned) waiter.timedOut();
    }
    for (const connection of this.idle.splice(0)) connection.client.close().catch(() => undefined);
  }

  private create(): PooledConnection | undefined {
    if (this.created >= this.options.limit || this.closed) return undefined;
    this.created++;
    return new PooledConnection(this.newClient({}));
  }

  private newClient(overrides: Partial<Client.Options>): Client {
    const { idleTimeoutMs, connect } = this.options;
    return new Client(this.origin, {
      connect,
      pipelining: 1,
      keepAliveTimeout: idleTimeoutMs,
      // A backend's `Keep-Alive: timeout=N` may shorten the gateway's idle time, never lengthen it.
      keepAliveMaxTimeout: idleTimeoutMs,
      ...overrides,
    });
  }

  private giveUp(entry: { waiter: ConnectionWaiter; timer: NodeJS.Timeout }): void {
    const index = this.waiting.indexOf(entry);
    if (index >= 0) this.waiting.splice(index, 1);
    if (!entry.waiter.abandoned) entry.waiter.timedOut();
  }
}
