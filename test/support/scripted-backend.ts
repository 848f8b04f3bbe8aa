/**
 * A raw HTTP/1.1 backend that answers each request with whatever bytes its test scripts, for
 * backends that break the protocol: it parses requests (Content-Length or chunked bodies) and
 * records them per connection, then hands each to the script with its socket.
 */
import net from 'node:net';
import { listenOnLoopback, stopAbruptly, trackSockets } from './loopback-server.js';

export interface ScriptedRequest {
  method: string;
  url: string;
  /** The head as received, request line and headers, latin1. */
  head: string;
  body: string;
  /** Which connection (0 = first accepted) and which request on it (0 = first). */
  connection: number;
  index: number;
}

export type Script = (request: ScriptedRequest, socket: net.Socket) => void;

export class ScriptedBackend {
  port = 0;
  /** The requests each connection carried, in order. */
  readonly connections: ScriptedRequest[][] = [];
  /** Whether each connection is still open. */
  readonly open: boolean[] = [];
  private readonly server = net.createServer((socket) => this.serve(socket));
  private readonly sockets = trackSockets(this.server);

  /** `beforeBody`: the script answers as soon as a request's head arrives, and its body (Content-Length) is then read and dropped, as IIS does with a request it refuses. */
  constructor(
    private readonly script: Script,
    private readonly options: { beforeBody?: boolean } = {},
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get requests(): ScriptedRequest[] {
    return this.connections.flat();
  }

  /** Connections open right now. */
  get openConnections(): number {
    return this.sockets.size;
  }

  async start(): Promise<this> {
    this.port = await listenOnLoopback(this.server);
    return this;
  }

  async stop(): Promise<void> {
    await stopAbruptly(this.server, this.sockets);
  }

  private serve(socket: net.Socket): void {
    socket.on('error', () => {});
    const requests: ScriptedRequest[] = [];
    const connection = this.connections.push(requests) - 1;
    this.open.push(true);
    socket.once('close', () => (this.open[connection] = false));
    let buffered = '';
    let bodyLeft = 0;
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      for (;;) {
        if (this.options.beforeBody) {
          const dropped = Math.min(bodyLeft, buffered.length);
          buffered = buffered.slice(dropped);
          bodyLeft -= dropped;
          const headEnd = buffered.indexOf('\r\n\r\n');
          if (bodyLeft > 0 || headEnd < 0) return;
          const head = buffered.slice(0, headEnd);
          buffered = buffered.slice(headEnd + 4);
          bodyLeft = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
          const [method = '', url = ''] = head.split(' ');
          const request = { method, url, head, body: '', connection, index: requests.length };
          requests.push(request);
          this.script(request, socket);
          continue;
        }
        const parsed = parseRequest(buffered);
        if (!parsed) return;
        buffered = buffered.slice(parsed.length);
        const request = { ...parsed.request, connection, index: requests.length };
        requests.push(request);
        this.script(request, socket);
      }
    });
  }
}

/** One whole request at the start of `bytes`, and how many bytes it took; undefined while incomplete. */
function parseRequest(bytes: string): { request: Omit<ScriptedRequest, 'connection' | 'index'>; length: number } | undefined {
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const head = bytes.slice(0, headEnd);
  const [method = '', url = ''] = head.split(' ');
  let at = headEnd + 4;
  let body = '';
  if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
    for (;;) {
      const lineEnd = bytes.indexOf('\r\n', at);
      if (lineEnd < 0) return undefined;
      const size = parseInt(bytes.slice(at, lineEnd), 16);
      if (size === 0) {
        const trailerEnd = bytes.indexOf('\r\n\r\n', lineEnd);
        if (trailerEnd < 0) return undefined;
        at = trailerEnd + 4;
        break;
      }
      if (bytes.length < lineEnd + 2 + size + 2) return undefined;
      body += bytes.slice(lineEnd + 2, lineEnd + 2 + size);
      at = lineEnd + 2 + size + 2;
    }
  } else {
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    if (bytes.length < at + length) return undefined;
    body = bytes.slice(at, at + length);
    at += length;
  }
  return { request: { method, url, head, body }, length: at };
}

/** A plain 200 with `body` and a Content-Length. */
export function okResponse(body: string, extraHeaders = ''): string {
  return `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body, 'latin1')}\r\n${extraHeaders}\r\n${body}`;
}
