/** Starting a raw server (http, https, net) that a test built itself on a loopback port, and stopping it. */
import http from 'node:http';
import net from 'node:net';

/** Listens on 127.0.0.1 (`port` 0: any free port) and returns the port it got. */
export async function listenOnLoopback(server: net.Server, port = 0, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as net.AddressInfo).port;
}

/** Stops listening and, for an HTTP server, cuts the connections still open so that the close finishes. */
export async function closeServer(server: net.Server): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  if (server instanceof http.Server) server.closeAllConnections();
  await closed;
}

/** Keeps `sockets` (a new set if none is given) to the connections `server` has open right now. */
export function trackSockets(server: net.Server, sockets = new Set<net.Socket>()): Set<net.Socket> {
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return sockets;
}

/** Stops a server at once, like a crashed process: its open connections cut, then no more listening. */
export async function stopAbruptly(server: net.Server | null, sockets: Set<net.Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  if (server) await closeServer(server);
}

/** Resolves with 'connected' when a fresh connection to `port` on 127.0.0.1 opens, else with the error code. */
export function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** Whether something listens on `port` on 127.0.0.1. */
export async function portIsOpen(port: number): Promise<boolean> {
  return (await tryConnect(port)) === 'connected';
}
