/** What the data path asks of the forwarder for one request, and how a forward can fail. */
import type { CompressionConfig } from '../config/config-schema.js';
import type { BackendConnections } from './backend-connections.js';
import type { HeaderList } from './backend-request-headers.js';
import type { BackendResponseHead } from './backend-response.js';

export interface ForwardRequest {
  /** The server's shared connections, or a Windows-authenticated client's own. */
  connections: BackendConnections;
  /**
   * The backend connection carries the client's Windows sign-in: it must outlive an answer that
   * comes before the whole body, and a request that meets the keep-alive race on it is not sent
   * again over another connection, which would not carry the sign-in.
   */
  connectionBound: boolean;
  /** How long the backend may stay silent once it has the whole request (see `requestTimeoutSec`). */
  timeoutMs: number;
  /** How long the client may pause while sending a body. */
  bodyIdleTimeoutMs: number;
  /** How long a request may wait for a free connection when all of them are busy. */
  connectionWaitMs: number;
  /** What the backend receives as headers: built by `backendRequestHeaders`, framing and Host included. */
  headers: HeaderList;
  /** The gateway's own session cookie for the response, added after the backend's hop-by-hop headers are gone. */
  setCookie?: string | null | undefined;
  /** The cluster's compression settings when compression is on. */
  compression?: CompressionConfig | undefined;
  /** Called with the backend's response before its headers are copied to the client. */
  onResponse?: (head: BackendResponseHead) => void;
  onError: (failure: ForwardFailure) => void;
  /** The backend broke off its answer after it had begun; the client connection has been closed. */
  onBrokenResponse?: () => void;
  /** The request cannot be forwarded as it is (a header HTTP/1.1 cannot carry); nothing was sent. */
  onInvalidRequest?: (reason: string) => void;
}

export interface ForwardFailure {
  error: Error & { code?: string };
  /** The backend could not be reached at all, so the request never got there. */
  connectFailed: boolean;
  /** The backend took too long (see `requestTimeoutSec`). */
  timedOut: boolean;
  /** The client stopped sending its body: no fault of the backend. */
  clientStalled?: boolean;
  /** Every connection to the server stayed busy while the request waited for one. */
  connectionsBusy?: boolean;
  /**
   * A reused connection turned out closed, and the request could not go again: its body was too
   * large to send again, or the connection was the client's own (`connectionBound`).
   */
  staleConnection?: boolean;
  /** The request had to use the one backend connection that carries the client's Windows sign-in. */
  connectionBound?: boolean;
}

const CONNECT_ERRORS = new Set([
  'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL', 'ECONNABORTED', 'UND_ERR_CONNECT_TIMEOUT',
]);

/** Whether a socket error means the backend was never reached, so the request never got there. */
export function isConnectFailure(error: Error & { code?: string }): boolean {
  return CONNECT_ERRORS.has(error.code ?? '');
}

/**
 * How a kept-alive connection that the backend closed fails when it is reused: reset, or closed
 * before an answer (undici's "other side closed"), or refusing the write.
 */
const STALE_CONNECTION_ERRORS = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

export function isStaleConnectionError(error: Error & { code?: string }): boolean {
  return STALE_CONNECTION_ERRORS.has(error.code ?? '');
}
