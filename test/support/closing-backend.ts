/**
 * A raw HTTP/1.1 backend that loses the keep-alive race on purpose: it answers the first request
 * of every connection with keep-alive, and closes the connection without an answer as soon as a
 * second request arrives on it, as a backend does whose idle timeout ends just as the gateway
 * reuses the connection. It records every request it answered, body included, as it parsed them.
 */
import net from 'node:net';
import { listenOnLoopback, stopAbruptly, trackSockets } from './loopback-server.js';

export interface ParsedRequest {
  method: string;
  path: string;
  body: string;
}

export class ClosingBackend {
  port = 0;
  readonly answered: ParsedRequest[] = [];
  /** Requests that arrived on a reused connection and were cut off. */
  cutOff = 0;
  private readonly server = net.createServer((socket) => this.serve(socket));
  private readonly sockets = trackSockets(this.server);

  constructor(readonly name: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.port = await listenOnLoopback(this.server);
    return this;
  }

  /** Connections open right now, whoever closes them. */
  get openConnections(): number {
    return this.sockets.size;
  }

  async stop(): Promise<void> {
    await stopAbruptly(this.server, this.sockets);
  }

  private serve(socket: net.Socket): void {
    socket.on('error', () => {});
    let buffered = Buffer.alloc(0);
    let served = 0;
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const headEnd = buffered.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const head = buffered.subarray(0, headEnd).toString('latin1');
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      if (buffered.length < headEnd + 4 + length) return;
      const [method = '', path = ''] = head.split(' ');
      const body = buffered.subarray(headEnd + 4, headEnd + 4 + length).toString();
      buffered = buffered.subarray(headEnd + 4 + length);
      if (served++ > 0) {
        this.cutOff++;
        socket.destroy();
        return;
      }
      this.answered.push({ method, path, body });
      const reply = JSON.stringify({ backend: this.name, method, body });
      socket.write(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(reply)}\r\nConnection: keep-alive\r\n\r\n${reply}`);
    });
  }
}
