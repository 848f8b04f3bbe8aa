/**
 * A stand-in for Exchange's RPC proxy: it reads requests itself (Node's HTTP server refuses the
 * RPC_IN_DATA and RPC_OUT_DATA methods), answers an RPC_OUT_DATA channel with a 1 GB response
 * that it keeps open, and relays every byte of the RPC_IN_DATA channel with the same `ch` query to
 * it. It records each request it parsed, with the number of the TCP connection it came on.
 */
import net from 'node:net';
import { listenOnLoopback, stopAbruptly, trackSockets } from './loopback-server.js';

export interface ParsedRequest {
  connection: number;
  method: string;
  url: string;
  headers: Record<string, string>;
}

const ONE_GIGABYTE = 1024 * 1024 * 1024;

export class ExchangeBackend {
  port = 0;
  readonly requests: ParsedRequest[] = [];
  /** Body bytes received on each IN channel, by channel name. */
  readonly inBytes = new Map<string, number>();
  private readonly outChannels = new Map<string, net.Socket>();
  private readonly sockets = new Set<net.Socket>();
  private nextConnection = 1;
  private server: net.Server | null = null;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const server = net.createServer((socket) => this.accept(socket));
    trackSockets(server, this.sockets);
    this.port = await listenOnLoopback(server);
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    await stopAbruptly(this.server, this.sockets);
    this.server = null;
  }

  private accept(socket: net.Socket): void {
    const connection = this.nextConnection++;
    socket.on('error', () => socket.destroy());
    let buffered = Buffer.alloc(0);
    let bodyLeft = 0;
    let relayTo: string | undefined;
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        if (bodyLeft > 0) {
          const part = buffered.subarray(0, Math.min(bodyLeft, buffered.length));
          buffered = buffered.subarray(part.length);
          bodyLeft -= part.length;
          if (relayTo !== undefined) {
            this.inBytes.set(relayTo, (this.inBytes.get(relayTo) ?? 0) + part.length);
            this.outChannels.get(relayTo)?.write(part);
          }
          if (bodyLeft > 0 || buffered.length === 0) return;
        }
        const end = buffered.indexOf('\r\n\r\n');
        if (end === -1) return;
        const request = parse(buffered.subarray(0, end).toString('latin1'), connection);
        buffered = buffered.subarray(end + 4);
        this.requests.push(request);
        bodyLeft = Number(request.headers['content-length'] ?? 0);
        relayTo = this.answer(request, socket);
      }
    });
  }

  /** Answers a request; returns the channel an IN request's body is relayed to. */
  private answer(request: ParsedRequest, socket: net.Socket): string | undefined {
    const channel = new URL(request.url, 'http://backend').searchParams.get('ch') ?? '';
    if (request.method === 'RPC_OUT_DATA') {
      this.outChannels.set(channel, socket);
      // A real RPC proxy starts the channel with its connection PDUs at once.
      socket.write(`HTTP/1.1 200 Success\r\nContent-Type: application/rpc\r\nContent-Length: ${ONE_GIGABYTE}\r\n\r\nCONN/A3;`);
      return undefined;
    }
    if (request.method === 'RPC_IN_DATA' && Number(request.headers['content-length']) >= ONE_GIGABYTE) {
      this.inBytes.set(channel, 0);
      return channel;
    }
    // The short requests of a sign-in: answered at once, the connection kept.
    const body = `${request.method} on connection ${request.connection}`;
    const status = request.headers.authorization ? '401 Unauthorized\r\nWWW-Authenticate: NTLM' : '200 OK';
    socket.write(`HTTP/1.1 ${status}\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    return undefined;
  }
}

function parse(head: string, connection: number): ParsedRequest {
  const [requestLine = '', ...lines] = head.split('\r\n');
  const [method = '', url = ''] = requestLine.split(' ');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { connection, method, url, headers };
}
