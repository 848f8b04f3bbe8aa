/**
 * The arguments each bridge method accepts from the page, as zod tuples built from the config
 * schema's pieces. They only validate: the original arguments are forwarded untouched, so a patch
 * is never filled with defaults. The main process marks every change as coming from the dashboard;
 * a page may pass that source itself as the last argument, but no other.
 */
import { z } from 'zod';
import {
  SLUG_PATTERN,
  clusterSchema,
  healthCheckSchema,
  routeSchema,
  serverSchema,
} from '../proxy/config-schema.js';
import type { BridgeMethod } from './ipc-channels.js';

const id = z.string().regex(SLUG_PATTERN, 'must be an id of 1–40 characters of a–z, 0–9 and "-"');

const serverInput = serverSchema.pick({ name: true, url: true, capacity: true, enabled: true }).extend({ id: id.optional() });
const serverPatch = serverSchema.pick({ name: true, url: true, capacity: true, enabled: true }).partial();

const clusterFields = clusterSchema
  .pick({
    name: true,
    enabled: true,
    sessionMethod: true,
    cookieName: true,
    sessionTimeoutSec: true,
    balancing: true,
    requestTimeoutSec: true,
  })
  .extend({
    sessionMaxLifetimeSec: clusterSchema.shape.sessionMaxLifetimeSec.nullable(),
    healthCheck: healthCheckSchema.partial().optional(),
  });

const clusterInput = clusterFields.extend({ id: id.optional(), servers: z.array(serverInput).optional() });
const clusterPatch = clusterFields.partial();

const sessionListOptions = z.strictObject({
  limit: z.int('must be a whole number').min(1, 'must be 1–100000').max(100_000, 'must be 1–100000').optional(),
});

const pageSource = z.literal('dashboard', 'must be "dashboard": the page cannot speak for another source').optional();

export const bridgeArgumentSchemas = {
  getState: z.tuple([]),
  getConfig: z.tuple([]),
  listSessions: z.tuple([id, id, sessionListOptions.optional()]),
  addCluster: z.tuple([clusterInput, pageSource]),
  updateCluster: z.tuple([id, clusterPatch, pageSource]),
  removeCluster: z.tuple([id, pageSource]),
  addServer: z.tuple([id, serverInput, pageSource]),
  updateServer: z.tuple([id, id, serverPatch, pageSource]),
  removeServer: z.tuple([id, id, pageSource]),
  drainServer: z.tuple([id, id, pageSource]),
  restoreServer: z.tuple([id, id, pageSource]),
  setRoutes: z.tuple([z.array(routeSchema), pageSource]),
  setPaused: z.tuple([z.boolean('must be true or false'), pageSource]),
} satisfies Record<BridgeMethod, z.ZodType<unknown[]>>;

/** What each argument is called, for messages about an argument as a whole (e.g. a bad id). */
export const bridgeParameterNames: Record<BridgeMethod, readonly string[]> = {
  getState: [],
  getConfig: [],
  listSessions: ['clusterId', 'serverId', 'options'],
  addCluster: ['cluster', 'source'],
  updateCluster: ['clusterId', 'patch', 'source'],
  removeCluster: ['clusterId', 'source'],
  addServer: ['clusterId', 'server', 'source'],
  updateServer: ['clusterId', 'serverId', 'patch', 'source'],
  removeServer: ['clusterId', 'serverId', 'source'],
  drainServer: ['clusterId', 'serverId', 'source'],
  restoreServer: ['clusterId', 'serverId', 'source'],
  setRoutes: ['routes', 'source'],
  setPaused: ['paused', 'source'],
};
