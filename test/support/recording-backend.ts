/**
 * A backend that records exactly the bytes it received on each connection, and what it parsed
 * from them. A raw `net` server takes each connection, keeps every byte, and relays them over a
 * connection of its own to a Node HTTP server, which parses them as any backend would and answers
 * with what it parsed (method, url, body) as JSON. Connection n of the recorder is connection n of
 * the parser, so a request the parser saw but the gateway never sent shows up on its connection.
 */
import http from 'node:http';
import net from 'node:net';
import { closeServer, listenOnLoopback } from './loopback-server.js';

export interface ParsedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RecordedConnection {
  /** Every byte received, as latin1 so that each byte is one character. */
  bytes: string;
  /** The requests the parser read from those bytes, in order. */
  requests: ParsedRequest[];
}

export class RecordingBackend {
  readonly connections: RecordedConnection[] = [];
  private readonly byRelayPort = new Map<number, RecordedConnection>();
  private readonly sockets = new Set<net.Socket>();
  private readonly recorder = net.createServer((socket) => this.accept(socket));
  private readonly parser = http.createServer((req, res) => this.answer(req, res));
  private parserPort = 0;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** All bytes of all connections, in connection order. */
  get allBytes(): string {
    return this.connections.map((c) => c.bytes).join('');
  }

  get allRequests(): ParsedRequest[] {
    return this.connections.flatMap((c) => c.requests);
  }

  async start(): Promise<this> {
    // Tests count connections: the pooled one must not time out between their requests.
    this.parser.keepAliveTimeout = 60_000;
    this.parser.on('connection', (socket) => this.track(socket));
    this.parserPort = await listenOnLoopback(this.parser);
    this.port = await listenOnLoopback(this.recorder);
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await Promise.all([closeServer(this.recorder), closeServer(this.parser)]);
  }

  private accept(socket: net.Socket): void {
    this.track(socket);
    const record: RecordedConnection = { bytes: '', requests: [] };
    this.connections.push(record);
    const relay = net.connect(this.parserPort, '127.0.0.1');
    this.track(relay);
    socket.pause();
    relay.once('connect', () => {
      this.byRelayPort.set(relay.localPort!, record);
      socket.resume();
    });
    socket.on('data', (chunk: Buffer) => {
      record.bytes += chunk.toString('latin1');
      relay.write(chunk);
    });
    relay.on('data', (chunk: Buffer) => socket.write(chunk));
    socket.on('end', () => relay.end());
    relay.on('end', () => socket.end());
    socket.on('error', () => relay.destroy());
    relay.on('error', () => socket.destroy());
    socket.on('close', () => relay.destroy());
    relay.on('close', () => socket.destroy());
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse): void {
    const record = this.byRelayPort.get(req.socket.remotePort!);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const parsed: ParsedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('latin1') };
      record?.requests.push(parsed);
      const body = JSON.stringify({ method: parsed.method, url: parsed.url, body: parsed.body });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }
}
