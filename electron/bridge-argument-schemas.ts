/**
 * The arguments each bridge method accepts from the page, as zod tuples built from the config
 * schema's pieces. They only validate: the original arguments are forwarded untouched, so a patch
 * is never filled with defaults. The page never chooses the change source, so no tuple has room for one.
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

export const bridgeArgumentSchemas = {
  getState: z.tuple([]),
  getConfig: z.tuple([]),
  listSessions: z.tuple([id, id, sessionListOptions.optional()]),
  addCluster: z.tuple([clusterInput]),
  updateCluster: z.tuple([id, clusterPatch]),
  removeCluster: z.tuple([id]),
  addServer: z.tuple([id, serverInput]),
  updateServer: z.tuple([id, id, serverPatch]),
  removeServer: z.tuple([id, id]),
  drainServer: z.tuple([id, id]),
  restoreServer: z.tuple([id, id]),
  setRoutes: z.tuple([z.array(routeSchema)]),
  setPaused: z.tuple([z.boolean('must be true or false')]),
} satisfies Record<BridgeMethod, z.ZodType<unknown[]>>;
