/**
 * A backend that authenticates connections the way IIS does with Windows Integrated Authentication:
 * NTLM (negotiate, challenge, authenticate) and a two-step Negotiate with opaque tokens. A challenge
 * is answered only on the TCP connection that received it, and the identity stays bound to that
 * connection; every answer says who the connection belongs to and which connection it was. A
 * signed-in connection can also be asked for a slow answer, or for none at all.
 */
import http from 'node:http';
import type net from 'node:net';
import { randomBytes } from 'node:crypto';
import { listenOnLoopback, stopAbruptly, trackSockets } from './loopback-server.js';

export interface WindowsAuthReply {
  user: string;
  /** The backend's number for the TCP connection the request arrived on. */
  connection: number;
}

interface ConnectionState {
  id: number;
  ntlmChallenge?: Buffer;
  negotiateNonce?: string;
  user?: string;
}

const NTLM_SIGNATURE = Buffer.from('NTLMSSP\0', 'latin1');
const NTLM_NEGOTIATE_UNICODE = 0x1;
const NTLM_NEGOTIATE_NTLM = 0x200;

export class WindowsAuthBackend {
  port = 0;
  /** Authenticate messages that arrived on a connection that had not been challenged. */
  answersOnWrongConnection = 0;
  private readonly connections = new WeakMap<net.Socket, ConnectionState>();
  private readonly sockets = new Set<net.Socket>();
  private nextConnection = 1;
  private server: http.Server | null = null;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** How many TCP connections the backend has accepted. */
  get connectionCount(): number {
    return this.nextConnection - 1;
  }

  async start(): Promise<this> {
    const server = http.createServer((req, res) => this.handle(req, res));
    server.keepAliveTimeout = 60_000;
    server.on('connection', (socket) => this.connections.set(socket, { id: this.nextConnection++ }));
    trackSockets(server, this.sockets);
    this.port = await listenOnLoopback(server);
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    await stopAbruptly(this.server, this.sockets);
    this.server = null;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    req.resume();
    const state = this.connections.get(req.socket)!;
    const authorization = req.headers.authorization ?? '';
    const [scheme = '', token = ''] = authorization.split(' ');
    if (scheme.toLowerCase() === 'ntlm' && token) return this.ntlm(state, Buffer.from(token, 'base64'), res);
    if (scheme.toLowerCase() === 'negotiate' && token) return this.negotiate(state, Buffer.from(token, 'base64').toString('utf8'), res);
    if (state.user) return this.signedIn(req, res, state);
    challenge(res, ['NTLM', 'Negotiate']);
  }

  /** `/slow/<ms>` answers after that long; `/hang-up` closes the connection without an answer. */
  private signedIn(req: http.IncomingMessage, res: http.ServerResponse, state: ConnectionState): void {
    const slow = /^\/slow\/(\d+)$/.exec(req.url ?? '');
    if (slow) {
      setTimeout(() => reply(res, 200, state), Number(slow[1]));
      return;
    }
    if (req.url === '/hang-up') {
      req.socket.destroy();
      return;
    }
    reply(res, 200, state);
  }

  private ntlm(state: ConnectionState, message: Buffer, res: http.ServerResponse): void {
    if (message.length < 12 || !message.subarray(0, 8).equals(NTLM_SIGNATURE)) return challenge(res, ['NTLM']);
    const type = message.readUInt32LE(8);
    if (type === 1) {
      state.ntlmChallenge = randomBytes(8);
      state.user = undefined;
      return challenge(res, [`NTLM ${ntlmChallengeMessage(state.ntlmChallenge).toString('base64')}`]);
    }
    if (type === 3 && state.ntlmChallenge) {
      state.ntlmChallenge = undefined;
      state.user = ntlmUserOf(message);
      return reply(res, 200, state);
    }
    if (type === 3) this.answersOnWrongConnection++;
    challenge(res, ['NTLM']);
  }

  /** Opaque test tokens: `hello:<user>` is answered with a nonce, `answer:<nonce>:<user>` signs in. */
  private negotiate(state: ConnectionState, token: string, res: http.ServerResponse): void {
    const [step, first, second] = token.split(':');
    if (step === 'hello' && first) {
      state.negotiateNonce = randomBytes(8).toString('hex');
      state.user = undefined;
      return challenge(res, [`Negotiate ${Buffer.from(`continue:${state.negotiateNonce}`).toString('base64')}`]);
    }
    if (step === 'answer' && first && second && first === state.negotiateNonce) {
      state.negotiateNonce = undefined;
      state.user = second;
      return reply(res, 200, state);
    }
    if (step === 'answer') this.answersOnWrongConnection++;
    challenge(res, ['Negotiate']);
  }
}

function reply(res: http.ServerResponse, status: number, state: ConnectionState): void {
  const body: WindowsAuthReply = { user: state.user ?? '', connection: state.id };
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function challenge(res: http.ServerResponse, offers: string[]): void {
  res.writeHead(401, { 'WWW-Authenticate': offers, 'Content-Type': 'text/plain' });
  res.end('sign in');
}

/** A minimal NTLM challenge (type 2) message: no target name, no target information. */
function ntlmChallengeMessage(challenge: Buffer): Buffer {
  const message = Buffer.alloc(48);
  NTLM_SIGNATURE.copy(message, 0);
  message.writeUInt32LE(2, 8);
  message.writeUInt16LE(0, 12);
  message.writeUInt16LE(0, 14);
  message.writeUInt32LE(48, 16);
  message.writeUInt32LE(NTLM_NEGOTIATE_UNICODE | NTLM_NEGOTIATE_NTLM, 20);
  challenge.copy(message, 24);
  return message;
}

/** `DOMAIN\user` from an NTLM authenticate (type 3) message. */
function ntlmUserOf(message: Buffer): string {
  const flags = message.length >= 64 ? message.readUInt32LE(60) : 0;
  const encoding = flags & NTLM_NEGOTIATE_UNICODE ? 'utf16le' : 'latin1';
  const field = (offset: number): string => {
    const length = message.readUInt16LE(offset);
    const start = message.readUInt32LE(offset + 4);
    return message.subarray(start, start + length).toString(encoding);
  };
  const domain = field(28);
  const user = field(36);
  return domain ? `${domain}\\${user}` : user;
}

/** Messages a test client sends: an NTLM negotiate and an authenticate naming `user`. */
export const ntlmClientMessages = {
  negotiate(): string {
    const message = Buffer.alloc(32);
    NTLM_SIGNATURE.copy(message, 0);
    message.writeUInt32LE(1, 8);
    message.writeUInt32LE(NTLM_NEGOTIATE_UNICODE | NTLM_NEGOTIATE_NTLM, 12);
    return `NTLM ${message.toString('base64')}`;
  },
  authenticate(user: string): string {
    const name = Buffer.from(user, 'utf16le');
    const message = Buffer.alloc(64 + name.length);
    NTLM_SIGNATURE.copy(message, 0);
    message.writeUInt32LE(3, 8);
    for (const offset of [12, 20, 28, 44, 52]) message.writeUInt32LE(64, offset + 4);
    message.writeUInt16LE(name.length, 36);
    message.writeUInt16LE(name.length, 38);
    message.writeUInt32LE(64, 40);
    message.writeUInt32LE(NTLM_NEGOTIATE_UNICODE | NTLM_NEGOTIATE_NTLM, 60);
    name.copy(message, 64);
    return `NTLM ${message.toString('base64')}`;
  },
};
