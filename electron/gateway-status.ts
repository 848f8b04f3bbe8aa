/** What the desktop shell knows about its gateway, apart from the gateway's own snapshot. */
export type GatewayStatus =
  | { kind: 'starting' }
  | { kind: 'running' }
  | { kind: 'stopping' }
  /** The gateway could not start or failed; the tray stays up and says why. */
  | { kind: 'failed'; message: string };
