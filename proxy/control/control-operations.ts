/**
 * The control contract as one table: each operation's name, its arguments (names and schema),
 * its admin HTTP route and whether it changes the gateway. The ControlApi type, the admin API's
 * routes, the Electron bridge's handlers and types and every client are derived from it, so an
 * operation or a field is added here once. Plain data and zod only: the renderer imports it too.
 * What is derived where: docs/architecture.md, "The control contract".
 */
import { z } from 'zod';
import type { ClusterConfig, GatewayConfig, RouteConfig, ServerConfig } from '../config/config-schema.js';
import {
  clusterInputArgument,
  clusterPatchArgument,
  configDocumentArgument,
  idArgument,
  pausedArgument,
  routesArgument,
  serverInputArgument,
  serverPatchArgument,
  serverProbeArgument,
  sessionIdArgument,
  sessionListOptionsArgument,
  settingsPatchArgument,
} from './control-arguments.js';
import type { GatewaySnapshot, ProbeReport, ServerHistory, SessionList } from './control-snapshot.js';

export type HttpVerb = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Where the arguments that are not in the route's path travel over HTTP: `object` the one
 * remaining argument is the JSON object body; `list` it is a JSON array body (or `{"<name>": [...]}`);
 * `fields` each remaining argument is the body field of its name; `query` the one remaining
 * argument's fields are query parameters.
 */
export type HttpArguments = 'object' | 'list' | 'fields' | 'query';

export interface HttpBinding {
  verb: HttpVerb;
  /** Segments after `/api/`; `:name` is the argument of that name. */
  path: string;
  arguments?: HttpArguments;
  /** Answered with 201 Created rather than 200. */
  created?: true;
}

export interface OperationSpec<Args extends z.ZodTuple = z.ZodTuple> {
  /** The arguments' names in order: the route's `:name` segments, and the names issues give. */
  params: readonly string[];
  /** Checked where the caller is not trusted (the Electron bridge); the control API checks the rest. */
  args: Args;
  http: HttpBinding;
  /** Whether it changes configuration or state (the admin API then reports outages it caused). */
  changes: boolean;
}

declare const resultType: unique symbol;

/** An operation whose answer is `Result`: a type only, for the derived method signatures. */
export type Operation<Args extends z.ZodTuple, Result> = OperationSpec<Args> & { readonly [resultType]?: Result };

function answering<Result>() {
  return <Args extends z.ZodTuple>(spec: OperationSpec<Args>): Operation<Args, Result> => spec;
}

const read = (path: string, args?: HttpArguments): HttpBinding => ({ verb: 'GET', path, ...(args ? { arguments: args } : {}) });
const SERVER = 'clusters/:clusterId/servers/:serverId';

export const controlOperations = {
  getState: answering<GatewaySnapshot>()({ params: [], args: z.tuple([]), http: read('state'), changes: false }),
  getConfig: answering<GatewayConfig>()({ params: [], args: z.tuple([]), http: read('config'), changes: false }),
  /** A server's live sessions, most recently seen first. */
  listSessions: answering<SessionList>()({
    params: ['clusterId', 'serverId', 'options'],
    args: z.tuple([idArgument, idArgument, sessionListOptionsArgument.optional()]),
    http: read(`${SERVER}/sessions`, 'query'),
    changes: false,
  }),
  /** The server's last hour, one point per 10 s, kept by the gateway. */
  getHistory: answering<ServerHistory>()({
    params: ['clusterId', 'serverId'],
    args: z.tuple([idArgument, idArgument]),
    http: read(`${SERVER}/history`),
    changes: false,
  }),
  /** Runs one health probe of `server.url` with the cluster's health check settings; saves nothing. */
  probeServer: answering<ProbeReport>()({
    params: ['clusterId', 'server'],
    args: z.tuple([idArgument, serverProbeArgument]),
    http: { verb: 'POST', path: 'clusters/:clusterId/probe', arguments: 'object' },
    changes: false,
  }),
  /** Ends one live session (by the id `listSessions` shows) at once: the user's next request starts a new one. */
  endSession: answering<void>()({
    params: ['clusterId', 'serverId', 'sessionId'],
    args: z.tuple([idArgument, idArgument, sessionIdArgument]),
    http: { verb: 'DELETE', path: `${SERVER}/sessions/:sessionId` },
    changes: true,
  }),
  addCluster: answering<ClusterConfig>()({
    params: ['cluster'],
    args: z.tuple([clusterInputArgument]),
    http: { verb: 'POST', path: 'clusters', arguments: 'object', created: true },
    changes: true,
  }),
  updateCluster: answering<ClusterConfig>()({
    params: ['clusterId', 'patch'],
    args: z.tuple([idArgument, clusterPatchArgument]),
    http: { verb: 'PATCH', path: 'clusters/:clusterId', arguments: 'object' },
    changes: true,
  }),
  /** Its routes go with it. */
  removeCluster: answering<void>()({
    params: ['clusterId'],
    args: z.tuple([idArgument]),
    http: { verb: 'DELETE', path: 'clusters/:clusterId' },
    changes: true,
  }),
  addServer: answering<ServerConfig>()({
    params: ['clusterId', 'server'],
    args: z.tuple([idArgument, serverInputArgument]),
    http: { verb: 'POST', path: 'clusters/:clusterId/servers', arguments: 'object', created: true },
    changes: true,
  }),
  updateServer: answering<ServerConfig>()({
    params: ['clusterId', 'serverId', 'patch'],
    args: z.tuple([idArgument, idArgument, serverPatchArgument]),
    http: { verb: 'PATCH', path: SERVER, arguments: 'object' },
    changes: true,
  }),
  removeServer: answering<void>()({
    params: ['clusterId', 'serverId'],
    args: z.tuple([idArgument, idArgument]),
    http: { verb: 'DELETE', path: SERVER },
    changes: true,
  }),
  /** Capacity → 0, remembering the old capacity so `restoreServer` can put it back. */
  drainServer: answering<ServerConfig>()({
    params: ['clusterId', 'serverId'],
    args: z.tuple([idArgument, idArgument]),
    http: { verb: 'POST', path: `${SERVER}/drain` },
    changes: true,
  }),
  restoreServer: answering<ServerConfig>()({
    params: ['clusterId', 'serverId'],
    args: z.tuple([idArgument, idArgument]),
    http: { verb: 'POST', path: `${SERVER}/restore` },
    changes: true,
  }),
  setRoutes: answering<RouteConfig[]>()({
    params: ['routes'],
    args: z.tuple([routesArgument]),
    http: { verb: 'PUT', path: 'routes', arguments: 'list' },
    changes: true,
  }),
  /**
   * Replaces the whole configuration with `config` (a document as `getConfig` gives it), validated
   * whole. The running `admin` settings are kept, so an import never changes the console's own
   * address or token.
   */
  importConfig: answering<GatewayConfig>()({
    params: ['config'],
    args: z.tuple([configDocumentArgument]),
    http: { verb: 'PUT', path: 'config', arguments: 'object' },
    changes: true,
  }),
  /** Listeners (HTTPS certificates included), access rule, trusted proxies and logs. */
  updateSettings: answering<GatewayConfig>()({
    params: ['settings'],
    args: z.tuple([settingsPatchArgument]),
    http: { verb: 'PATCH', path: 'settings', arguments: 'object' },
    changes: true,
  }),
  /** A paused gateway closes its listeners and keeps its sessions. */
  setPaused: answering<{ paused: boolean }>()({
    params: ['paused'],
    args: z.tuple([pausedArgument]),
    http: { verb: 'POST', path: 'pause', arguments: 'fields' },
    changes: true,
  }),
};

export type OperationName = keyof typeof controlOperations;

type OperationOf<M extends OperationName> = (typeof controlOperations)[M];

export type OperationArgs<M extends OperationName> = z.input<OperationOf<M>['args']>;

export type OperationResult<M extends OperationName> = OperationOf<M> extends Operation<z.ZodTuple, infer Result> ? Result : never;

/** Every operation as a method: what ControlApi and each client offer. */
export type ControlMethods = { [M in OperationName]: (...args: OperationArgs<M>) => Promise<OperationResult<M>> };

export const operationNames = Object.keys(controlOperations) as OperationName[];

export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && Object.hasOwn(controlOperations, name);
}

/**
 * The methods of a client that makes each call through `call`, by operation name and argument
 * list, as the bridge and HTTP clients do.
 */
export function controlMethodsOver(call: (name: OperationName, args: unknown[]) => Promise<unknown>): ControlMethods {
  return Object.fromEntries(operationNames.map((name) => [name, (...args: unknown[]) => call(name, args)])) as unknown as ControlMethods;
}
