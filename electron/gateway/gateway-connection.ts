/**
 * What the desktop shell needs from a gateway, whether it runs inside the app (GatewayRunner) or
 * in the Windows service the app attached to (AttachedGateway).
 */
import type { ControlApi, GatewayEvent } from '../../proxy/control/control-api.js';
import type { GatewayMode, GatewayStatus } from './gateway-status.js';

export interface GatewayConnection {
  readonly mode: GatewayMode;
  readonly status: GatewayStatus;
  /** The control API, or null while there is none to call. */
  control(): ControlApi | null;
  /** The web console with its token, or null while unknown. */
  consoleUrl(): string | null;
  onEvent(listener: (event: GatewayEvent) => void): () => void;
  /** Resolves true once the gateway answers, false when it could not start or be reached. */
  start(): Promise<boolean>;
  /** In the app: stops the gateway gracefully. Attached: only lets go of the service. */
  stop(graceMs: number): Promise<void>;
}

