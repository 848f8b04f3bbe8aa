/**
 * Outlook Anywhere (Exchange's RPC over HTTP) sends its two channels as requests with the methods
 * RPC_IN_DATA and RPC_OUT_DATA, which Node's HTTP parser refuses. A connection whose first bytes
 * are one of those methods is read here instead, strictly, one request at a time, and each request
 * is handed to the gateway's ordinary request handler as a normal request and response, so routing,
 * access rules, sessions, pinning, draining and logs apply to it as to any other. Every other
 * connection goes to Node's HTTP server untouched.
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type net from 'node:net';
import { sendSocketError } from './error-pages.js';
import { parseHead, type RequestHead } from './rpc-request-head.js';

type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

const RPC_METHODS = ['RPC_IN_DATA', 'RPC_OUT_DATA'];
const RPC_PREFIXES = RPC_METHODS.map((method) => Buffer.from(`${method} `, 'latin1'));
const MAX_HEAD_BYTES = 16 * 1024;
const HEAD_TIMEOUT_MS = 30_000;
const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');

/**
 * Puts the RPC-over-HTTP reader in front of a server's connection handling. `event` is where the
 * server receives its connections: `connection` for plain HTTP, `secureConnection` for TLS.
 */
export function acceptRpcOverHttp(server: EventEmitter, event: 'connection' | 'secureConnection', handler: RequestHandler): void {
  const original = server.listeners(event) as ((socket: net.Socket) => void)[];
  server.removeAllListeners(event);
  const handOver = (socket: net.Socket): void => {
    for (const listener of original) listener.call(server, socket);
  };
  server.on(event, (socket: net.Socket) => {
    // An HTTP/2 connection (chosen by ALPN) never carries these methods.
    if ((socket as { alpnProtocol?: string | false }).alpnProtocol === 'h2') return handOver(socket);
    sniff(socket, (isRpc) => {
      if (isRpc) new RpcConnection(socket, handler).readNextHead();
      else {
        handOver(socket);
        socket.resume();
      }
    });
  });
}

/** Reads just enough of a connection's first bytes to tell an RPC channel from ordinary HTTP. */
function sniff(socket: net.Socket, decide: (isRpc: boolean) => void): void {
  let seen: Buffer = Buffer.alloc(0);
  // A connection that never says anything is closed as Node's own header timeout would close it.
  const timer = setTimeout(() => socket.destroy(), HEAD_TIMEOUT_MS);
  const onData = (chunk: Buffer): void => {
    seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
    const verdict = rpcVerdict(seen);
    if (verdict === 'undecided') return;
    clearTimeout(timer);
    socket.removeListener('data', onData);
    socket.removeListener('end', onEarlyEnd);
    socket.removeListener('error', onEarlyEnd);
    socket.pause();
    socket.unshift(seen);
    decide(verdict === 'rpc');
  };
  const onEarlyEnd = (): void => {
    clearTimeout(timer);
    socket.destroy();
  };
  socket.on('data', onData);
  socket.once('end', onEarlyEnd);
  socket.once('error', onEarlyEnd);
}

function rpcVerdict(seen: Buffer): 'rpc' | 'http' | 'undecided' {
  for (const prefix of RPC_PREFIXES) {
    const length = Math.min(seen.length, prefix.length);
    if (seen.compare(prefix, 0, length, 0, length) !== 0) continue;
    return length === prefix.length ? 'rpc' : 'undecided';
  }
  return 'http';
}

/** One client connection of RPC channels: requests read one after another, each answered in turn. */
class RpcConnection {
  private pending: Buffer = Buffer.alloc(0);

  constructor(
    private readonly socket: net.Socket,
    private readonly handler: RequestHandler,
  ) {
    socket.on('error', () => socket.destroy());
  }

  readNextHead(): void {
    const socket = this.socket;
    const timer = setTimeout(() => socket.destroy(), HEAD_TIMEOUT_MS);
    const onData = (chunk: Buffer): void => {
      this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
      const end = this.pending.indexOf(HEAD_END);
      if (end === -1) {
        if (this.pending.length > MAX_HEAD_BYTES) finish(() => sendSocketError(socket, 431, 'The request headers are too large.'));
        return;
      }
      const headText = this.pending.subarray(0, end).toString('latin1');
      this.pending = this.pending.subarray(end + HEAD_END.length);
      finish(() => {
        const head = parseHead(headText);
        if (typeof head === 'string') sendSocketError(socket, 400, head);
        else this.serve(head);
      });
    };
    const onEnd = (): void => finish(() => socket.destroy());
    const finish = (next: () => void): void => {
      clearTimeout(timer);
      socket.removeListener('data', onData);
      socket.removeListener('end', onEnd);
      socket.pause();
      next();
    };
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.resume();
    // Bytes left over from the previous request may already hold this head.
    if (this.pending.length > 0) {
      const leftover = this.pending;
      this.pending = Buffer.alloc(0);
      onData(leftover);
    }
  }

  private serve(head: RequestHead): void {
    const socket = this.socket;
    const req = new http.IncomingMessage(socket);
    req.method = head.method;
    req.url = head.url;
    req.httpVersionMajor = 1;
    req.httpVersionMinor = head.minorVersion;
    req.httpVersion = `1.${head.minorVersion}`;
    req.headers = head.headers;
    req.rawHeaders = head.rawHeaders;

    let remaining = head.contentLength;
    let bodyDone = false;
    const endBody = (): void => {
      bodyDone = true;
      socket.removeListener('data', onBody);
      // Reading on keeps a client that leaves noticed; what it sends early waits for its turn.
      socket.on('data', holdForNextRequest);
      socket.resume();
      req.complete = true;
      req.push(null);
    };
    const holdForNextRequest = (chunk: Buffer): void => {
      this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
      if (this.pending.length > MAX_HEAD_BYTES) socket.pause();
    };
    const onBody = (chunk: Buffer): void => {
      const part = chunk.length <= remaining ? chunk : chunk.subarray(0, remaining);
      if (chunk.length > part.length) this.pending = chunk.subarray(part.length);
      remaining -= part.length;
      const more = req.push(part);
      if (remaining === 0) endBody();
      else if (!more) socket.pause();
    };
    // A client that stops sending has left the channel (listeners allow half-open connections for
    // ordinary HTTP): the channel ends, and with it the request to the backend.
    const onClientGone = (): void => {
      socket.destroy();
    };
    req._read = () => {
      if (!bodyDone) socket.resume();
    };
    socket.once('end', onClientGone);

    const keepAlive = head.minorVersion === 1 && !/(^|,)\s*close\s*(,|$)/i.test(String(head.headers.connection ?? ''));
    const res = new http.ServerResponse(req);
    res.shouldKeepAlive = keepAlive;
    res.assignSocket(socket);
    res.once('finish', () => {
      socket.removeListener('data', holdForNextRequest);
      socket.removeListener('end', onClientGone);
      socket.pause();
      res.detachSocket(socket);
      // Node's own server does the same: a detached response would otherwise never emit 'close',
      // and whoever waits for it (the server's in-flight count) would wait forever.
      process.nextTick(() => {
        if (res.destroyed) return;
        res.destroyed = true;
        res.emit('close');
      });
      if (!keepAlive || !bodyDone || socket.destroyed) closeWhenWritten(socket);
      else this.readNextHead();
    });

    if (remaining === 0) endBody();
    else {
      const leftover = this.pending;
      this.pending = Buffer.alloc(0);
      socket.on('data', onBody);
      if (leftover.length > 0) onBody(leftover);
    }
    this.handler(req, res);
  }
}

/**
 * Ends the connection once the last response has gone out. Ending only our side would leave the
 * socket open for as long as the client keeps its own side open, and with it any backend
 * connection pinned to it, which also keeps a draining server from ever being drained.
 */
function closeWhenWritten(socket: net.Socket): void {
  if (socket.destroyed) return;
  if (socket.writableFinished) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  if (!socket.writableEnded) socket.end();
}
