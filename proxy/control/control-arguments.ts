/**
 * The shapes of what callers hand to the control API, as zod schemas built from the config
 * schema's pieces. The control operations table is made of them; the input types below are
 * inferred from them, so a field added here is at once allowed everywhere it may be sent.
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
} from '../config/config-schema.js';

export const MAX_SESSION_LIST_LIMIT = 100_000;

export const idArgument = z.string().regex(SLUG_PATTERN, 'must be an id of 1–40 characters of a–z, 0–9 and "-"');

/** The fields of a server a caller may set, in the order error messages list them. */
export const serverPatchArgument = z.strictObject({
  capacity: serverSchema.shape.capacity,
  enabled: serverSchema.shape.enabled,
  name: serverSchema.shape.name,
  url: serverSchema.shape.url,
  /** SHA-256 fingerprint (`AA:BB:…`) of a self-signed certificate to trust on an https:// server; null removes it. */
  tlsFingerprint: serverSchema.shape.tlsFingerprint.unwrap().nullable().optional(),
}).partial();

export const serverInputArgument = serverPatchArgument.required({ name: true, url: true }).extend({ id: idArgument.optional() });

/** What `probeServer` checks: a server's address, before it is saved anywhere. */
export const serverProbeArgument = serverInputArgument.pick({ url: true, tlsFingerprint: true });

/** The fields of a cluster a caller may set, in the order error messages list them. */
export const clusterPatchArgument = z.strictObject({
  name: clusterSchema.shape.name,
  enabled: clusterSchema.shape.enabled,
  sessionMethod: clusterSchema.shape.sessionMethod,
  cookieName: clusterSchema.shape.cookieName,
  sessionTimeoutSec: clusterSchema.shape.sessionTimeoutSec,
  /** null removes the limit. */
  sessionMaxLifetimeSec: clusterSchema.shape.sessionMaxLifetimeSec.nullable(),
  balancing: clusterSchema.shape.balancing,
  requestTimeoutSec: clusterSchema.shape.requestTimeoutSec,
  maxPinnedConnectionsPerServer: clusterSchema.shape.maxPinnedConnectionsPerServer,
  healthCheck: healthCheckSchema.partial(),
  hostHeader: hostHeaderSchema,
  compression: compressionSchema.partial(),
  rewriteResponseUrls: clusterSchema.shape.rewriteResponseUrls,
}).partial();

export const clusterInputArgument = clusterPatchArgument
  .required({ name: true })
  .extend({ id: idArgument.optional(), servers: z.array(serverInputArgument).optional() });

/** Gateway-wide settings; each given field replaces the current one (`logs` is merged, `access: null` removes the rule). */
export const settingsPatchArgument = z.strictObject({
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

export const sessionListOptionsArgument = z.strictObject({
  /** At most this many sessions, most recently seen first (default 1000). */
  limit: z
    .int('must be a whole number')
    .min(1, `must be 1–${MAX_SESSION_LIST_LIMIT}`)
    .max(MAX_SESSION_LIST_LIMIT, `must be 1–${MAX_SESSION_LIST_LIMIT}`)
    .optional(),
});

export const sessionIdArgument = z.string().min(1, 'must be a session id from the session list').max(200);

export const routesArgument = z.array(routeSchema);

/** A whole configuration document: checked field by field by the control API itself. */
export const configDocumentArgument = z.custom<unknown>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  'must be a JSON object',
);

export const pausedArgument = z.boolean('must be true or false');

export type ServerInput = z.input<typeof serverInputArgument>;
export type ServerPatch = z.input<typeof serverPatchArgument>;
export type ServerProbeInput = z.input<typeof serverProbeArgument>;
export type ClusterInput = z.input<typeof clusterInputArgument>;
export type ClusterPatch = z.input<typeof clusterPatchArgument>;
export type SettingsPatch = z.input<typeof settingsPatchArgument>;
export type SessionListOptions = z.input<typeof sessionListOptionsArgument>;
export type RouteInput = z.input<typeof routeSchema>;
