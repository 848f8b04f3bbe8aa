/**
 * The configuration schema's defaults, for the forms that start something new: a form shows what
 * the gateway would use anyway. The dashboard's one door to the schema.
 */
import type { ClusterConfig } from '../../proxy/control/control-api.js';
import { accessRuleSchema, clusterSchema, serverSchema } from '../../proxy/config/config-schema.js';

/** Every setting a cluster gets when nobody chose one. */
export const CLUSTER_DEFAULTS: ClusterConfig = clusterSchema.parse({ id: 'defaults', name: 'Defaults' });

/** A server's share of new sessions, and on or off, when nobody chose. */
export const SERVER_DEFAULTS = {
  capacity: serverSchema.shape.capacity.parse(undefined),
  enabled: serverSchema.shape.enabled.parse(undefined),
};

/** What the server-wide access rule does to everyone else when nobody chose. */
export const DEFAULT_ACCESS_ACTION = accessRuleSchema.shape.action.parse(undefined);
