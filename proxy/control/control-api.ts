/**
 * The one control contract of Switchboard. The Electron main process calls it in-process, the
 * preload bridge forwards it over IPC, and the admin HTTP API maps it onto REST + SSE; every one
 * of these is derived from the operations table (control-operations.ts). Every method may reject
 * with a ControlError (`invalid` with field issues, `not-found`, …); changes are validated whole
 * before anything is applied or written.
 */
import type { ControlMethods } from './control-operations.js';
import type { ChangeSource, GatewayEvent } from './control-snapshot.js';

export type {
  AccessRuleConfig,
  ClusterConfig,
  CompressionConfig,
  GatewayConfig,
  HealthCheckConfig,
  HostHeaderConfig,
  ListenerConfig,
  LogsConfig,
  RouteConfig,
  ServerConfig,
} from '../config/config-schema.js';
export type * from './control-snapshot.js';
export type {
  ClusterInput,
  ClusterPatch,
  RouteInput,
  ServerInput,
  ServerPatch,
  ServerProbeInput,
  SessionListOptions,
  SettingsPatch,
} from './control-arguments.js';
export type { ControlMethods, OperationArgs, OperationName, OperationResult } from './control-operations.js';

export interface ControlApi extends ControlMethods {
  /**
   * The same API with its changes recorded as made by `source` (the event stream and gateway log
   * say who changed what). Each transport binds its caller once: the admin API from the request,
   * the Electron bridge as `dashboard`, the tray as `tray`; unbound, changes are `api`'s.
   */
  as(source: ChangeSource): ControlApi;
  /** Events as they happen; `stats` at most once a second. Returns the unsubscribe function. */
  subscribe(listener: (event: GatewayEvent) => void): () => void;
}
