/**
 * The one schema of Switchboard's configuration: it is both the source of the TypeScript types
 * (`z.infer`) and the validator of every config file and every runtime change. Each section has
 * its own file (listener-, admin-, route-, cluster-, logs- and limits-schema.ts); this one puts
 * them together, checks what spans sections, and is where every other module imports them from.
 */
import { z } from 'zod';
import { adminSchema } from './admin-schema.js';
import { clusterSchema, compressionSchema, healthCheckSchema, hostHeaderSchema, serverSchema } from './cluster-schema.js';
import { limitsSchema } from './limits-schema.js';
import { listenerSchema, sniCertificateSchema, tlsSchema } from './listener-schema.js';
import { logsSchema } from './logs-schema.js';
import { accessRuleSchema, routeSchema } from './route-schema.js';
import { addressOrCidr } from './schema-fields.js';

export { SLUG_PATTERN } from './schema-fields.js';
export { adminSchema } from './admin-schema.js';
export { DEFAULT_COMPRESSIBLE_TYPES, FINGERPRINT_PATTERN, clusterSchema, compressionSchema, healthCheckSchema, hostHeaderSchema, serverSchema } from './cluster-schema.js';
export { limitsSchema } from './limits-schema.js';
export { listenerSchema, sniCertificateSchema, tlsSchema } from './listener-schema.js';
export { logsSchema } from './logs-schema.js';
export { accessRuleSchema, routeSchema } from './route-schema.js';

export const configSchema = z
  .object({
    listeners: z.array(listenerSchema).default([{ port: 8080, host: '0.0.0.0' }]),
    admin: adminSchema,
    routes: z.array(routeSchema).default([]),
    clusters: z.array(clusterSchema).default([]),
    /** Server-wide access rule, checked before any route's own. */
    access: accessRuleSchema.optional(),
    /** Reverse proxies in front of the gateway whose X-Forwarded-For is believed. */
    trustedProxies: z.array(addressOrCidr).default([]),
    logs: logsSchema.default(logsSchema.parse({})),
    limits: limitsSchema.default(limitsSchema.parse({})),
  })
  .superRefine((config, ctx) => {
    reportDuplicates(ctx, config.listeners.map((l) => `${l.port}`), (i) => ['listeners', i, 'port'], 'port');
    reportDuplicates(ctx, config.clusters.map((c) => c.id), (i) => ['clusters', i, 'id'], 'cluster id');
    config.clusters.forEach((cluster, ci) =>
      reportDuplicates(ctx, cluster.servers.map((s) => s.id), (si) => ['clusters', ci, 'servers', si, 'id'], 'server id'),
    );
    reportDuplicates(
      ctx,
      config.routes.map((r) => `${r.host.toLowerCase()} ${r.path.toLowerCase()}`),
      (i) => ['routes', i, 'path'],
      'route (host and path)',
    );
    const clusterIds = new Set(config.clusters.map((c) => c.id));
    config.routes.forEach((route, i) => {
      if (!clusterIds.has(route.cluster)) {
        ctx.addIssue({ code: 'custom', path: ['routes', i, 'cluster'], message: `names no cluster (there is no cluster "${route.cluster}")` });
      }
    });
    const adminClash = config.listeners.findIndex((l) => l.port === config.admin.port);
    if (adminClash >= 0) {
      ctx.addIssue({ code: 'custom', path: ['admin', 'port'], message: `is already used by listeners[${adminClash}]` });
    }
  });

export type TlsConfig = z.infer<typeof tlsSchema>;
export type SniCertificateConfig = z.infer<typeof sniCertificateSchema>;
export type AccessRuleConfig = z.infer<typeof accessRuleSchema>;
export type LogsConfig = z.infer<typeof logsSchema>;
export type HostHeaderConfig = z.infer<typeof hostHeaderSchema>;
export type CompressionConfig = z.infer<typeof compressionSchema>;
export type LimitsConfig = z.infer<typeof limitsSchema>;
export type ListenerConfig = z.infer<typeof listenerSchema>;
export type AdminConfig = z.infer<typeof adminSchema>;
export type RouteConfig = z.infer<typeof routeSchema>;
export type HealthCheckConfig = z.infer<typeof healthCheckSchema>;
export type ServerConfig = z.infer<typeof serverSchema>;
export type ClusterConfig = z.infer<typeof clusterSchema>;
export type GatewayConfig = z.infer<typeof configSchema>;
/** What a caller may send: defaults and ids may be left out. */
export type GatewayConfigInput = z.input<typeof configSchema>;

function reportDuplicates(
  ctx: z.RefinementCtx,
  values: string[],
  pathOf: (index: number) => (string | number)[],
  what: string,
): void {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    if (seen.has(value)) ctx.addIssue({ code: 'custom', path: pathOf(index), message: `is a duplicate ${what} "${value}"` });
    seen.add(value);
  });
}
