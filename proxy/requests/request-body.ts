/**
 * The body of one request on its way to a backend: read from the client as the backend takes it,
 * its first bytes kept so that the request can be sent again over a fresh connection, and a client
 * that stops sending noticed.
 */
import type http from 'node:http';

/** Bodies up to this size are kept for a retry after a backend closed a reused connection. */
const RETRY_BODY_LIMIT = 64 * 1024;
/** Bytes read from the client ahead of the backend before the client is paused. */
const READ_AHEAD_LIMIT = 64 * 1024;

export class RequestBody {
  /** Every byte received so far, while they fit in the retry limit. */
  private readonly kept: Buffer[] = [];
  private keptBytes = 0;
  private tooLargeToRetry = false;
  /** Received from the client, not yet taken by the backend. */
  private queue: Buffer[] = [];
  private queuedBytes = 0;
  private ended = false;
  private broken: Error | undefined;
  /** Which reader may take from the queue: a retry's reader replaces the first one's. */
  private generation = 0;
  private wakeReader: (() => void) | null = null;
  private whenComplete: (() => void) | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly onData = (chunk: Buffer): void => this.received(chunk);

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
    req.once('end', () => {
      this.ended = true;
      this.stop();
      this.wake();
      this.whenComplete?.();
    });
    req.once('close', () => {
      this.stop();
      if (this.ended) return;
      this.broken = new Error('the client broke off its request body');
      this.wake();
    });
  }

  /** Whether every byte sent so far is still here to be sent again. */
  get replayable(): boolean {
    return !this.tooLargeToRetry;
  }

  get complete(): boolean {
    return this.ended;
  }

  /** The client ended its request before the whole body arrived (it left, or its HTTP/2 stream was reset). */
  get brokenOff(): boolean {
    return this.broken !== undefined;
  }

  /** Bytes the client sent are waiting for the backend to take them: a pause now is the backend's, not the client's. */
  get backendIsBehind(): boolean {
    return this.queuedBytes > 0;
  }

  /** Calls back once the client has sent the whole body. */
  onComplete(callback: () => void): void {
    this.whenComplete = callback;
  }

  /** The body from its first byte, for one attempt; a later call starts over (replayable bodies only) and ends the earlier reader. */
  reader(): AsyncIterable<Buffer> {
    this.generation++;
    if (this.generation > 1) {
      this.queue = [...this.kept];
      this.queuedBytes = this.keptBytes;
    }
    return this.read(this.generation);
  }

  /** No more waiting for the client: its body is complete, or the request has ended otherwise. */
  stop(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  /** The request is done with: whatever the client still sends is read and dropped. */
  discard(): void {
    this.stop();
    this.generation++;
    this.req.off('data', this.onData);
    this.queue = [];
    this.queuedBytes = 0;
    this.wake();
    this.req.resume();
  }

  private received(chunk: Buffer): void {
    this.idleTimer?.refresh();
    if (!this.tooLargeToRetry) {
      this.keptBytes += chunk.length;
      if (this.keptBytes > RETRY_BODY_LIMIT) {
        this.tooLargeToRetry = true;
        this.kept.length = 0;
      } else {
        this.kept.push(chunk);
      }
    }
    this.queue.push(chunk);
    this.queuedBytes += chunk.length;
    if (this.queuedBytes > READ_AHEAD_LIMIT) this.req.pause();
    this.wake();
  }

  private async *read(generation: number): AsyncGenerator<Buffer> {
    while (generation === this.generation) {
      const chunk = this.queue.shift();
      if (chunk) {
        this.queuedBytes -= chunk.length;
        if (this.queuedBytes <= READ_AHEAD_LIMIT / 2 && this.req.isPaused() && !this.ended) this.req.resume();
        yield chunk;
        continue;
      }
      if (this.broken) throw this.broken;
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wakeReader = resolve));
    }
  }

  private wake(): void {
    const wake = this.wakeReader;
    this.wakeReader = null;
    wake?.();
  }
}

/** Whether a request has a body still to come: a Content-Length above 0, any Transfer-Encoding, or an open HTTP/2 stream. */
export function announcesBody(req: http.IncomingMessage): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined && length !== '0') return true;
  if (req.headers['transfer-encoding'] !== undefined) return true;
  return req.httpVersionMajor === 2 && !req.complete;
}
