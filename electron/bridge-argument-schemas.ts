/**
 * The arguments each bridge method accepts from the page, as zod tuples built from the config
 * schema's pieces. They only validate: the original arguments are forwarded untouched, so a patch
 * is never filled with defaults. The main process marks every change as coming from the dashboard;
 * a page may pass that source itself as the last argument, but no other.
 */
import { z } from 'zod';
import {
  SLUG_PATTERN,
  accessRuleSchema,
  clusterSchema,
  compressionSchema,
  configSchema,
  healthCheckSchema,
  hostHeaderSchema,
  listenerSchema,
  logsSchema,
  routeSchema,
  serverSchema,
} from '../proxy/config/config-schema.js';
import type { ClusterInput, ServerInput, ServerProbeInput, SettingsPatch } from '../proxy/control/control-api.js';
import type { BridgeMethod } from './ipc-channels.js';

const id = z.string().regex(SLUG_PATTERN, 'must be an id of 1–40 characters of a–z, 0–9 and "-"');

const serverFields = serverSchema
  .pick({ name: true, url: true, capacity: true, enabled: true })
  .extend({ tlsFingerprint: serverSchema.shape.tlsFingerprint.unwrap().nullable().optional() });
const serverInput = serverFields.extend({ id: id.optional() });
const serverProbeInput = serverFields.pick({ url: true, tlsFingerprint: true });
const serverPatch = serverFields.partial();

const clusterFields = clusterSchema
  .pick({
    name: true,
    enabled: true,
    sessionMethod: true,
    cookieName: true,
    sessionTimeoutSec: true,
    balancing: true,
    requestTimeoutSec: true,
    rewriteResponseUrls: true,
    maxPinnedConnectionsPerServer: true,
  })
  .extend({
    sessionMaxLifetimeSec: clusterSchema.shape.sessionMaxLifetimeSec.nullable(),
    healthCheck: healthCheckSchema.partial().optional(),
    hostHeader: hostHeaderSchema.optional(),
    compression: compressionSchema.partial().optional(),
  });
const clusterInput = clusterFields.extend({ id: id.optional(), servers: z.array(serverInput).optional() });
const clusterPatch = clusterFields.partial();

const settingsPatch = z.strictObject({
  listeners: z.array(listenerSchema).optional(),
  access: accessRuleSchema.nullable().optional(),
  trustedProxies: configSchema.shape.trustedProxies.unwrap().optional(),
  logs: z
    .strictObject({
      directory: z.string().min(1, 'must name a folder').nullable().optional(),
      accessLog: logsSchema.shape.accessLog.unwrap().partial().optional(),
      eventLog: logsSchema.shape.eventLog.unwrap().partial().optional(),
    })
    .optional(),
});

const sessionListOptions = z.strictObject({
  limit: z.int('must be a whole number').min(1, 'must be 1–100000').max(100_000, 'must be 1–100000').optional(),
});

const pageSource = z.literal('dashboard', 'must be "dashboard": the page cannot speak for another source').optional();

export const bridgeArgumentSchemas = {
  getState: z.tuple([]),
  getConfig: z.tuple([]),
  listSessions: z.tuple([id, id, sessionListOptions.optional()]),
  getHistory: z.tuple([id, id]),
  probeServer: z.tuple([id, serverProbeInput]),
  endSession: z.tuple([id, id, z.string().min(1, 'must be a session id from the session list').max(200), pageSource]),
  addCluster: z.tuple([clusterInput, pageSource]),
  updateCluster: z.tuple([id, clusterPatch, pageSource]),
  removeCluster: z.tuple([id, pageSource]),
  addServer: z.tuple([id, serverInput, pageSource]),
  updateServer: z.tuple([id, id, serverPatch, pageSource]),
  removeServer: z.tuple([id, id, pageSource]),
  drainServer: z.tuple([id, id, pageSource]),
  restoreServer: z.tuple([id, id, pageSource]),
  setRoutes: z.tuple([z.array(routeSchema), pageSource]),
  // Checked whole against the config schema by the control API, which names each bad field.
  importConfig: z.tuple([z.record(z.string(), z.unknown(), 'must be a JSON object'), pageSource]),
  updateSettings: z.tuple([settingsPatch, pageSource]),
  setPaused: z.tuple([z.boolean('must be true or false'), pageSource]),
} satisfies Record<BridgeMethod, z.ZodType<unknown[]>>;

/** What each argument is called, for messages about an argument as a whole (e.g. a bad id). */
export const bridgeParameterNames: Record<BridgeMethod, readonly string[]> = {
  getState: [],
  getConfig: [],
  listSessions: ['clusterId', 'serverId', 'options'],
  getHistory: ['clusterId', 'serverId'],
  probeServer: ['clusterId', 'server'],
  endSession: ['clusterId', 'serverId', 'sessionId', 'source'],
  addCluster: ['cluster', 'source'],
  updateCluster: ['clusterId', 'patch', 'source'],
  removeCluster: ['clusterId', 'source'],
  addServer: ['clusterId', 'server', 'source'],
  updateServer: ['clusterId', 'serverId', 'patch', 'source'],
  removeServer: ['clusterId', 'serverId', 'source'],
  drainServer: ['clusterId', 'serverId', 'source'],
  restoreServer: ['clusterId', 'serverId', 'source'],
  setRoutes: ['routes', 'source'],
  importConfig: ['config', 'source'],
  updateSettings: ['settings', 'source'],
  setPaused: ['paused', 'source'],
};

/**
 * The control API's input types and these schemas must name the same fields: a field added to
 * one and not the other stops the type check here instead of being refused at run time.
 */
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : false;
const fieldsMatch: [
  SameKeys<ServerInput, z.input<typeof serverInput>>,
  SameKeys<ServerProbeInput, z.input<typeof serverProbeInput>>,
  SameKeys<ClusterInput, z.input<typeof clusterInput>>,
  SameKeys<SettingsPatch, z.input<typeof settingsPatch>>,
  SameKeys<NonNullable<SettingsPatch['logs']>, NonNullable<z.input<typeof settingsPatch>['logs']>>,
] = [true, true, true, true, true];
void fieldsMatch;
