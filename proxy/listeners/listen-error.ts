/**
 * Why a port could not be opened, in words an admin can act on, instead of Node's raw
 * `listen EADDRINUSE: address already in use 0.0.0.0:8080`. The error code stays at the end so
 * that it can still be searched for.
 */

/** The admin port or a listener port is held by another program; carries where, so that the owner can be looked up. */
export class PortInUseError extends Error {
  readonly port: number;
  readonly host: string;

  constructor(message: string, host: string, port: number) {
    super(message);
    this.name = 'PortInUseError';
    this.host = host;
    this.port = port;
  }
}

export function describeListenError(error: NodeJS.ErrnoException, host: string, port: number): string {
  switch (error.code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is already in use by another program (EADDRINUSE)`;
    case 'EACCES':
      return `port ${port} on ${host} may not be opened by this account (EACCES)`;
    case 'EADDRNOTAVAIL':
      return `${host} is not an address of this machine, so port ${port} cannot be opened on it (EADDRNOTAVAIL)`;
    default:
      return error.message;
  }
}
