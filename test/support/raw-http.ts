/** A client that writes raw bytes and reads raw HTTP/1.1 responses back, for tests where framing matters. */
import net from 'node:net';

export interface RawResponse {
  status: number;
  /** The head as received, status line and headers. */
  head: string;
  body: string;
}

/** One connection to the gateway: write bytes, read whole responses. */
export class RawConnection {
  private buffered = '';
  private closed = false;
  private wake: (() => void) | null = null;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered += chunk.toString('latin1');
      this.wake?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
    socket.on('error', () => {});
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  write(bytes: string): void {
    this.socket.write(Buffer.from(bytes, 'latin1'));
  }

  /** The next response; `bodiless` for the answer to a HEAD. Rejects if none arrives within `timeoutMs`. */
  async response(options: { bodiless?: boolean; timeoutMs?: number } = {}): Promise<RawResponse> {
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    for (;;) {
      const response = this.take(options.bodiless ?? false);
      if (response) return response;
      if (this.closed) throw new Error(`connection closed before a whole response; received ${JSON.stringify(this.buffered)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no whole response within the time limit; received ${JSON.stringify(this.buffered)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  /** Resolves true when the gateway closes the connection within `timeoutMs`. */
  async closedWithin(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    return this.closed;
  }

  /** Whatever arrived and was not read as a response. */
  get unread(): string {
    return this.buffered;
  }

  close(): void {
    this.socket.destroy();
  }

  private take(bodiless: boolean): RawResponse | undefined {
    const end = this.buffered.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    const head = this.buffered.slice(0, end);
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    const bodyLength = bodiless || status === 204 || status === 304 || (status >= 100 && status < 200) ? 0 : length ? Number(length[1]) : -1;
    const available = this.buffered.length - end - 4;
    if (bodyLength < 0 ? !this.closed : available < bodyLength) return undefined;
    const taken = bodyLength < 0 ? available : bodyLength;
    const body = this.buffered.slice(end + 4, end + 4 + taken);
    this.buffered = this.buffered.slice(end + 4 + taken);
    return { status, head, body };
  }
}

/** Opens a connection, sends `bytes`, and returns the first response. */
export async function exchange(port: number, bytes: string, options: { bodiless?: boolean; timeoutMs?: number } = {}): Promise<RawResponse> {
  const connection = await RawConnection.open(port);
  try {
    connection.write(bytes);
    return await connection.response(options);
  } finally {
    connection.close();
  }
}
