/** What the desktop shell knows about its gateway, apart from the gateway's own snapshot. */
export type GatewayStatus =
  | { kind: 'starting' }
  | { kind: 'running' }
  | { kind: 'stopping' }
  /** The gateway could not start or failed; the tray stays up and says why. */
  | { kind: 'failed'; message: string }
  /** Attached to the Windows service, which does not answer right now; retried until it does. */
  | { kind: 'unreachable'; message: string };

/** Where the gateway runs: inside this app, or in the Windows service the app attached to. */
export type GatewayMode = 'app' | 'service';
