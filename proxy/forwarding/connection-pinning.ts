/**
 * Connection pinning for Windows Integrated Authentication. NTLM and Negotiate (Kerberos/SPNEGO)
 * authenticate a TCP connection, not a request: the challenge and its answer must travel over one
 * backend connection, and the identity stays bound to it. So once a client connection takes part in
 * such a handshake, it gets a backend connection of its own to its session's server, used by nothing
 * else and closed together with the client's.
 */
import type http from 'node:http';
import { BackendConnections } from './backend-connections.js';
import type { BackendResponseHead } from './backend-response.js';
import { createBackendConnector } from './backend-tls.js';
import type { ServerRuntime } from '../runtime/cluster-runtime.js';

/** A client connection's own backend connection. */
interface Pin {
  readonly server: ServerRuntime;
  /** The client's address, whose count of pinned connections this pin is part of. */
  readonly client: string;
  readonly connections: BackendConnections;
  /** Stops waiting for the client connection to close: a pin let go early must not stay referenced by it. */
  stopWatching: () => void;
}

export type PinOutcome =
  /** The request does not take part in connection authentication: use the shared pool. */
  | { kind: 'shared' }
  | { kind: 'pinned'; connections: BackendConnections }
  /** The server, or the client's address, already has as many pinned connections as it may. */
  | { kind: 'full'; reason: string };


/** How long a pinned backend connection may sit idle; the client's own keep-alive ends it sooner. */
const PINNED_IDLE_MS = 120_000;

export class ConnectionPins {
  /**
   * Keyed by the client's connection (its socket, or the HTTP/2 session that carries its streams),
   * then by cluster: a browser may carry several sites over one HTTP/2 connection, and each site's
   * identity lives on its own backend connection.
   */
  private readonly pins = new WeakMap<object, Map<string, Pin>>();
  /** Pinned connections per client address, so that one address cannot take every server's share. */
  private readonly perClient = new Map<string, number>();

  /** `perClientLimit`: how many one client address may hold at once (`limits.pinnedConnectionsPerClient`; 0 = no limit). */
  constructor(private readonly perClientLimit: () => number) {}

  /**
   * The connections a request must use. A connection already pinned keeps its pin while the session stays
   * on the same server; a pin to a server of the cluster that the session has left is let go (its
   * identity is of no use on the new server, which will ask the client to authenticate again).
   */
  connectionsFor(req: http.IncomingMessage, server: ServerRuntime, client: string): PinOutcome {
    const key = connectionOf(req);
    const existing = this.pins.get(key)?.get(server.cluster.id);
    if (existing) {
      if (existing.server === server) return { kind: 'pinned', connections: existing.connections };
      this.release(key, existing);
      return this.pin(key, server, client);
    }
    if (!startsConnectionAuthentication(req.headers.authorization)) return { kind: 'shared' };
    return this.pin(key, server, client);
  }

  /**
   * A backend's 401 offering NTLM or Negotiate pins the client connection from its next request on,
   * so that the handshake the client starts next begins on a connection of its own.
   */
  noteResponse(req: http.IncomingMessage, server: ServerRuntime, response: BackendResponseHead, client: string): void {
    if (response.statusCode !== 401 || !offersConnectionAuthentication(response.headers['www-authenticate'])) return;
    const key = connectionOf(req);
    if (!this.pins.get(key)?.has(server.cluster.id)) this.pin(key, server, client);
  }

  private pin(key: object, server: ServerRuntime, client: string): PinOutcome {
    const perServer = server.cluster.config.maxPinnedConnectionsPerServer;
    if (server.stats.pinned >= perServer) {
      return { kind: 'full', reason: `"${server.config.name}" already has ${perServer} Windows-authenticated connections, its limit.` };
    }
    const ofClient = this.perClient.get(client) ?? 0;
    const perClient = this.perClientLimit();
    if (perClient > 0 && ofClient >= perClient) {
      return { kind: 'full', reason: `Your address already holds ${perClient} Windows-authenticated connections, the most one address may.` };
    }
    this.perClient.set(client, ofClient + 1);
    const connections = new BackendConnections(server.target.origin, { limit: 1, idleTimeoutMs: PINNED_IDLE_MS, connect: createBackendConnector(server.config) });
    const pin: Pin = { server, client, connections, stopWatching: () => {} };
    let connectionPins = this.pins.get(key);
    if (!connectionPins) {
      connectionPins = new Map();
      this.pins.set(key, connectionPins);
    }
    connectionPins.set(server.cluster.id, pin);
    server.stats.pinned++;
    if (server.stats.pinned === 1) server.refreshState();
    pin.stopWatching = closedTogether(key, () => this.release(key, pin));
    return { kind: 'pinned', connections };
  }

  private release(key: object, pin: Pin): void {
    const connectionPins = this.pins.get(key);
    const clusterId = pin.server.cluster.id;
    if (connectionPins?.get(clusterId) !== pin) return;
    connectionPins.delete(clusterId);
    if (connectionPins.size === 0) this.pins.delete(key);
    pin.stopWatching();
    pin.connections.close();
    const ofClient = (this.perClient.get(pin.client) ?? 1) - 1;
    if (ofClient > 0) this.perClient.set(pin.client, ofClient);
    else this.perClient.delete(pin.client);
    pin.server.stats.pinned--;
    if (pin.server.stats.pinned === 0) pin.server.refreshState();
  }
}

/** `Authorization: NTLM …` or `Negotiate …`: a connection-bound handshake is under way. */
export function startsConnectionAuthentication(authorization: string | undefined): boolean {
  if (authorization === undefined) return false;
  return hasSchemePrefix(authorization, 'ntlm') || hasSchemePrefix(authorization, 'negotiate');
}

/** A `WWW-Authenticate` offering NTLM or Negotiate among its challenges. */
export function offersConnectionAuthentication(wwwAuthenticate: string | string[] | undefined): boolean {
  if (wwwAuthenticate === undefined) return false;
  const challenges = Array.isArray(wwwAuthenticate) ? wwwAuthenticate : [wwwAuthenticate];
  return challenges.some((challenge) =>
    challenge.split(',').some((part) => {
      const scheme = part.trim().split(' ', 1)[0]!.toLowerCase();
      return scheme === 'ntlm' || scheme === 'negotiate';
    }),
  );
}

function hasSchemePrefix(value: string, scheme: string): boolean {
  if (value.length < scheme.length) return false;
  if (value.slice(0, scheme.length).toLowerCase() !== scheme) return false;
  return value.length === scheme.length || value.charCodeAt(scheme.length) === 32;
}

/** HTTP/1.x requests share their socket; HTTP/2 streams share their session. */
function connectionOf(req: http.IncomingMessage): object {
  const stream = (req as { stream?: { session?: object } }).stream;
  return stream?.session ?? req.socket;
}

/** Calls `release` when the connection closes; returns what stops that. */
function closedTogether(key: object, release: () => void): () => void {
  const emitter = key as {
    once?: (event: string, listener: () => void) => void;
    removeListener?: (event: string, listener: () => void) => void;
    destroyed?: boolean;
  };
  if (emitter.destroyed) {
    release();
    return () => {};
  }
  emitter.once?.('close', release);
  return () => emitter.removeListener?.('close', release);
}
