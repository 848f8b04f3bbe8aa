/**
 * What one client address may hold at once: open connections and uploads in progress, so that a
 * single client cannot take every connection to a backend (see `limits` in the configuration).
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { normalizeAddress, type AddressList } from '../routing/access-rules.js';
import type { LimitsConfig } from '../config/config-schema.js';

const OVER_LIMIT = Symbol('switchboard.connectionOverLimit');
type MarkedSocket = { [OVER_LIMIT]?: true };

/** Whether this connection was opened beyond its address's connection limit (its requests get a 429). */
export function isOverConnectionLimit(socket: object): boolean {
  return (socket as MarkedSocket)[OVER_LIMIT] === true;
}

export class ClientLimits {
  private readonly connections = new Map<string, number>();
  private readonly uploads = new Map<string, number>();

  constructor(
    public config: LimitsConfig,
    /** Proxies in front of the gateway carry many clients over their connections: never limited. */
    public trustedProxies: AddressList,
  ) {}

  /**
   * Counts a new connection; false when its address already holds as many as it may. Such a
   * connection is marked, so that its request is answered with a 429 and the connection closed.
   */
  admitConnection(socket: Duplex & { remoteAddress?: string | undefined }): boolean {
    const limit = this.config.connectionsPerClient;
    if (limit === 0) return true;
    const address = normalizeAddress(socket.remoteAddress ?? '') ?? '';
    if (this.trustedProxies.includes(address)) return true;
    const open = this.connections.get(address) ?? 0;
    if (open >= limit) {
      (socket as MarkedSocket)[OVER_LIMIT] = true;
      return false;
    }
    this.connections.set(address, open + 1);
    socket.once('close', () => release(this.connections, address));
    return true;
  }

  /** Counts an upload until its body is in or the request ends; false when the client is at its limit. */
  admitUpload(client: string, req: http.IncomingMessage): boolean {
    const limit = this.config.uploadsPerClient;
    if (limit === 0) return true;
    const running = this.uploads.get(client) ?? 0;
    if (running >= limit) return false;
    this.uploads.set(client, running + 1);
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      release(this.uploads, client);
    };
    req.once('end', finish);
    req.once('close', finish);
    return true;
  }
}

function release(counts: Map<string, number>, address: string): void {
  const left = (counts.get(address) ?? 1) - 1;
  if (left <= 0) counts.delete(address);
  else counts.set(address, left);
}
