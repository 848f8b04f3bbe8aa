/**
 * What a backend answered, as the rest of the gateway sees it: the status and headers, and for the
 * compression path a readable stream of the body that reads from the backend no faster than it is
 * consumed.
 */
import type http from 'node:http';
import { Readable } from 'node:stream';
import type { BackendFlow } from './client-read-watch.js';

export interface BackendResponseHead {
  statusCode: number;
  statusMessage: string;
  /** Lower-case names; a header sent more than once is merged as Node merges it (Set-Cookie stays a list). */
  headers: http.IncomingHttpHeaders;
}

/** The backend's response with its body as a stream, the shape `sendProxyResponse` relays. */
export class BackendResponseStream extends Readable implements BackendResponseHead {
  readonly statusCode: number;
  readonly statusMessage: string;
  readonly headers: http.IncomingHttpHeaders;
  /** The whole body arrived. */
  complete = false;

  constructor(
    head: BackendResponseHead,
    private readonly controller: BackendFlow,
  ) {
    super();
    this.statusCode = head.statusCode;
    this.statusMessage = head.statusMessage;
    this.headers = head.headers;
  }

  /** A piece of the body from the backend; the backend is paused while the reader is behind. */
  deliver(chunk: Buffer): void {
    if (!this.push(chunk)) this.controller.pause();
  }

  finish(): void {
    this.complete = true;
    this.push(null);
  }

  override _read(): void {
    this.controller.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.complete) this.controller.abort(error ?? new Error('the response was no longer wanted'));
    callback(error);
  }
}

/**
 * Header names whose repeats Node drops, keeping the first: a second value would make the message
 * ambiguous (two lengths, two locations), so one is taken as Node's own client would.
 */
const SINGLE_VALUED = new Set([
  'age', 'authorization', 'content-length', 'content-type', 'etag', 'expires', 'from', 'host', 'if-modified-since',
  'if-unmodified-since', 'last-modified', 'location', 'max-forwards', 'proxy-authorization', 'referer', 'retry-after',
  'server', 'user-agent',
]);

/**
 * undici lists a repeated header's values; the gateway's header handling takes Node's shape, where
 * Set-Cookie is always a list and nothing else is. Merged in place.
 */
export function mergeRepeatedHeaders(headers: Record<string, string | string[] | undefined>): http.IncomingHttpHeaders {
  for (const name in headers) {
    const value = headers[name];
    if (name === 'set-cookie') {
      if (typeof value === 'string') headers[name] = [value];
      continue;
    }
    if (!Array.isArray(value)) continue;
    headers[name] = SINGLE_VALUED.has(name) ? value[0] : value.join(name === 'cookie' ? '; ' : ', ');
  }
  return headers as http.IncomingHttpHeaders;
}
