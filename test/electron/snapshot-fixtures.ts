/** Gateway snapshots for the pure tray tests, built field by field like the gateway builds them. */
import { healthCheckSchema } from '../../proxy/config/config-schema.js';
import type { ClusterSnapshot, GatewaySnapshot, ServerSnapshot, ServerState } from '../../proxy/control/control-api.js';
import type { TrayActionDependencies, TrayActions } from '../../electron/tray/tray-actions.js';

export function server(id: string, state: ServerState, overrides: Partial<ServerSnapshot> = {}): ServerSnapshot {
  const enabled = state !== 'disabled';
  const capacity = state === 'draining' || state === 'drained' ? 0 : 50;
  return {
    id,
    name: `App ${id}`,
    url: `http://127.0.0.1:1/${id}`,
    capacity,
    enabled,
    drainedFromCapacity: capacity === 0 ? 50 : null,
    state,
    standby: false,
    safeToStop: state === 'drained',
    drainedAt: null,
    online: state !== 'offline',
    health: { online: state !== 'offline', lastCheckAt: null, lastError: null, consecutiveFailures: 0, consecutiveSuccesses: 0 },
    sessions: state === 'draining' ? 3 : state === 'active' ? 7 : 0,
    sessionsExpireBy: null,
    inflight: 0,
    websockets: 0,
    pinnedConnections: 0,
    requests: 0,
    requestsPerSec: 0,
    errors: 0,
    latencyMs: { p50: 0, p90: 0, p99: 0 },
    errorWindow: { windowSec: 300, requests: 0, backend4xx: 0, backend5xx: 0, gateway502: 0, gateway503: 0, gateway504: 0 },
    ...overrides,
  };
}

export function cluster(id: string, servers: ServerSnapshot[], overrides: Partial<ClusterSnapshot> = {}): ClusterSnapshot {
  return {
    id,
    name: `Cluster ${id}`,
    enabled: true,
    sessionMethod: 'cookie',
    sessionTimeoutSec: 1800,
    sessionMaxLifetimeSec: null,
    balancing: 'least-sessions',
    healthCheck: healthCheckSchema.parse({}),
    servers,
    sessions: servers.reduce((sum, s) => sum + s.sessions, 0),
    requestsPerSec: 0,
    ...overrides,
  };
}

export function snapshot(clusters: ClusterSnapshot[], overrides: Partial<GatewaySnapshot> = {}): GatewaySnapshot {
  return {
    at: 1_700_000_000_000,
    startedAt: 1_700_000_000_000,
    paused: false,
    listeners: [{ port: 8080, host: '0.0.0.0', protocol: 'http', listening: true, error: null }],
    routes: [],
    clusters,
    ...overrides,
  };
}

export interface RecordedCall {
  action: keyof TrayActions;
  args: unknown[];
}

/** TrayActions that only write down what they were asked. */
export function recordingActions(): { actions: TrayActions; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const record =
    (action: keyof TrayActions) =>
    (...args: unknown[]): Promise<void> => {
      calls.push({ action, args });
      return Promise.resolve();
    };
  return {
    calls,
    actions: {
      drainServer: record('drainServer'),
      restoreServer: record('restoreServer'),
      setServerEnabled: record('setServerEnabled'),
      openDashboard: (...args) => void record('openDashboard')(...args),
      setPaused: record('setPaused'),
      setStartAtLogin: (...args) => void record('setStartAtLogin')(...args),
      openConsoleInBrowser: () => void record('openConsoleInBrowser')(),
      copyConsoleLink: () => void record('copyConsoleLink')(),
      startService: record('startService'),
      stopService: record('stopService'),
      quit: () => void record('quit')(),
    },
  };
}

/** TrayActionDependencies that do nothing and answer "go ahead"; tests override what they watch. */
export function quietDependencies(overrides: Partial<TrayActionDependencies> = {}): TrayActionDependencies {
  return {
    control: () => null,
    openDashboard: () => {},
    consoleUrl: () => null,
    openInBrowser: () => {},
    copyText: () => {},
    setStartAtLogin: () => {},
    controlService: () => Promise.resolve(),
    confirm: () => Promise.resolve(true),
    quit: () => {},
    reportFailure: () => {},
    ...overrides,
  };
}
