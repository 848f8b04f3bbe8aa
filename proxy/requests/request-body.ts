/**
 * Watches the body of one request on its way to a backend: keeps its first bytes so that the
 * request can be sent again over a fresh connection, and notices a client that stops sending.
 */
import type http from 'node:http';

/** Bodies up to this size are kept for a retry after a backend closed a reused connection. */
const RETRY_BODY_LIMIT = 64 * 1024;

export class RequestBody {
  /** The bytes received so far, while they fit in the retry limit. */
  readonly chunks: Buffer[] = [];
  private size = 0;
  private tooLargeToRetry = false;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly onData = (chunk: Buffer): void => {
    this.idleTimer?.refresh();
    if (this.tooLargeToRetry) return;
    this.size += chunk.length;
    if (this.size > RETRY_BODY_LIMIT) {
      this.tooLargeToRetry = true;
      this.chunks.length = 0;
    } else {
      this.chunks.push(chunk);
    }
  };

  constructor(
    private readonly req: http.IncomingMessage,
    idleTimeoutMs: number,
    onIdle: () => void,
  ) {
    req.on('data', this.onData);
    this.idleTimer = setTimeout(() => {
      this.stop();
      onIdle();
    }, idleTimeoutMs);
    const done = (): void => this.stop();
    req.once('end', done);
    req.once('close', done);
  }

  /** Whether every byte sent so far is still here to be sent again. */
  get replayable(): boolean {
    return !this.tooLargeToRetry;
  }

  get complete(): boolean {
    return this.req.readableEnded;
  }

  /** No more waiting for the client: its body is complete, or the request has ended otherwise. */
  stop(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}

/** Whether a request has a body still to come: a Content-Length above 0, any Transfer-Encoding, or an open HTTP/2 stream. */
export function announcesBody(req: http.IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined && length !== '0') return true;
  if (req.headers['transfer-encoding'] !== undefined) return true;
  return req.httpVersionMajor === 2 && !req.complete;
}
