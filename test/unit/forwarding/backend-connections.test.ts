/** BackendConnections: how requests take turns on a server's connections, and how long they may wait. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildConnector } from 'undici';
import { BackendConnections, type BackendConnection, type ConnectionWaiter } from '../../../proxy/forwarding/backend-connections.js';

/** Nothing connects: a client opens its socket only when a request is sent, and none is here. */
function connections(limit: number): BackendConnections {
  return new BackendConnections('http://127.0.0.1:9', { limit, idleTimeoutMs: 1000, connect: buildConnector({}) });
}

class Waiter implements ConnectionWaiter {
  connection: BackendConnection | undefined;
  timedOutAt: number | undefined;
  abandoned = false;

  connected(connection: BackendConnection): void {
    this.connection = connection;
  }

  timedOut(): void {
    this.timedOutAt = Date.now();
  }
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('BackendConnections', () => {
  it('opens up to its limit of connections, then makes a request wait for the next one given back', () => {
    const pool = connections(2);
    const [a, b, c] = [new Waiter(), new Waiter(), new Waiter()];
    pool.acquire(a, 5000);
    pool.acquire(b, 5000);
    pool.acquire(c, 5000);
    expect(a.connection).toBeDefined();
    expect(b.connection).toBeDefined();
    expect(a.connection).not.toBe(b.connection);
    expect(c.connection).toBeUndefined();
    pool.release(b.connection!);
    expect(c.connection).toBe(b.connection);
    expect(c.timedOutAt).toBeUndefined();
    vi.advanceTimersByTime(10_000);
    expect(c.timedOutAt).toBeUndefined();
    pool.close();
  });

  it('counts the connections handed out and not given back as requests under way', () => {
    const pool = connections(2);
    const [a, b] = [new Waiter(), new Waiter()];
    expect(pool.requestsUnderWay).toBe(0);
    pool.acquire(a, 5000);
    pool.acquire(b, 5000);
    expect(pool.requestsUnderWay).toBe(2);
    pool.release(a.connection!);
    expect(pool.requestsUnderWay).toBe(1);
    pool.release(b.connection!);
    expect(pool.requestsUnderWay).toBe(0);
    pool.close();
  });

  it('tells a waiting request when its wait is over, and not before', () => {
    const pool = connections(1);
    const [a, b] = [new Waiter(), new Waiter()];
    pool.acquire(a, 5000);
    const start = Date.now();
    pool.acquire(b, 3000);
    vi.advanceTimersByTime(2999);
    expect(b.timedOutAt).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(b.timedOutAt).toBe(start + 3000);
    // Its turn does not come after all: the connection goes back to the pool.
    pool.release(a.connection!);
    expect(b.connection).toBeUndefined();
    pool.close();
  });

  it('skips a waiting request whose client left', () => {
    const pool = connections(1);
    const [a, gone, next] = [new Waiter(), new Waiter(), new Waiter()];
    pool.acquire(a, 5000);
    pool.acquire(gone, 5000);
    pool.acquire(next, 5000);
    gone.abandoned = true;
    pool.release(a.connection!);
    expect(gone.connection).toBeUndefined();
    expect(next.connection).toBe(a.connection);
    pool.close();
  });

  it('hands out the connection given back last first, so that the others can idle out', () => {
    const pool = connections(3);
    const waiters = [new Waiter(), new Waiter(), new Waiter()];
    for (const waiter of waiters) pool.acquire(waiter, 5000);
    for (const waiter of waiters) pool.release(waiter.connection!);
    const again = new Waiter();
    pool.acquire(again, 5000);
    expect(again.connection).toBe(waiters[2]!.connection);
    pool.close();
  });

  it('calls no connection reused before it has been open and answered a request', () => {
    const pool = connections(1);
    const first = new Waiter();
    pool.acquire(first, 5000);
    expect(first.connection!.reused).toBe(false);
    pool.release(first.connection!);
    // Never connected (nothing was sent here), so the next request cannot meet a closed socket.
    const second = new Waiter();
    pool.acquire(second, 5000);
    expect(second.connection!.reused).toBe(false);
    pool.close();
  });

  it('when closed, ends every wait at once and opens nothing more', () => {
    const pool = connections(1);
    const [a, b] = [new Waiter(), new Waiter()];
    pool.acquire(a, 5000);
    pool.acquire(b, 5000);
    pool.close();
    expect(b.timedOutAt).toBeDefined();
    pool.release(a.connection!);
    const later = new Waiter();
    pool.acquire(later, 5000);
    expect(later.connection).toBeUndefined();
    expect(later.timedOutAt).toBeDefined();
  });
});
