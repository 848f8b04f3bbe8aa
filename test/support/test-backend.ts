/**
 * A real backend for tests: answers every request with its own name, counts what it served,
 * echoes what it received, and can be stopped and started again on the same port.
 */
import http from 'node:http';
import type net from 'node:net';
import { WebSocketServer } from 'ws';
import { listenOnLoopback, stopAbruptly, trackSockets } from './loopback-server.js';

export interface BackendReply {
  backend: string;
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export class TestBackend {
  readonly name: string;
  port = 0;
  served = 0;
  private server: http.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  /** Per-path behaviour overrides. */
  readonly handlers = new Map<string, (req: http.IncomingMessage, res: http.ServerResponse) => void>();

  constructor(name: string) {
    this.name = name;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port = this.port): Promise<this> {
    const server = http.createServer((req, res) => {
      this.served++;
      const path = (req.url ?? '/').split('?')[0]!;
      const handler = this.handlers.get(path);
      if (handler) return handler(req, res);
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const reply: BackendReply = { backend: this.name, method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
        const body = JSON.stringify(reply);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'set-cookie': 'app=1; Path=/' });
        res.end(body);
      });
    });
    const wss = new WebSocketServer({ server });
    wss.on('connection', (ws) => {
      ws.on('message', (data) => ws.send(`${this.name}:${data.toString()}`));
    });
    trackSockets(server, this.sockets);
    this.port = await listenOnLoopback(server, port);
    this.server = server;
    return this;
  }

  /** Stops at once, cutting open connections, like a crashed process. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    await stopAbruptly(server, this.sockets);
  }
}

export async function startBackends(...names: string[]): Promise<TestBackend[]> {
  return Promise.all(names.map((name) => new TestBackend(name).start()));
}

export async function stopBackends(backends: readonly TestBackend[]): Promise<void> {
  await Promise.all(backends.map((backend) => backend.stop()));
}
