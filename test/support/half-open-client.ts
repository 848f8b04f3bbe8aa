/**
 * A raw client that never closes its side of the connection, even after the gateway's FIN, as a
 * misbehaving client may: what it received, whether its socket closed, and whether the gateway let
 * go of it. Every client opened here is destroyed by `destroyHalfOpenClients` (call it after each test).
 */
import net from 'node:net';
import { expect } from 'vitest';
import { eventually } from './gateway-harness.js';

const open = new Set<net.Socket>();

export class HalfOpenClient {
  readonly socket: net.Socket;
  private text = '';
  private isClosed = false;

  constructor(port: number) {
    this.socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    open.add(this.socket);
    this.socket.setEncoding('latin1');
    this.socket.on('data', (chunk: string) => (this.text += chunk));
    this.socket.on('close', () => (this.isClosed = true));
    this.socket.on('error', () => undefined);
  }

  get received(): string {
    return this.text;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Resolves once the gateway has closed its end: a half-open client learns so only when it writes and is reset. */
  expectGatewayLetGo(): Promise<void> {
    return eventually(() => {
      if (!this.isClosed) this.socket.write('x');
      expect(this.isClosed).toBe(true);
    }, 3000);
  }
}

export function destroyHalfOpenClients(): void {
  for (const socket of open) socket.destroy();
  open.clear();
}
