/**
 * The one schema of Switchboard's configuration: it is both the source of the TypeScript types
 * (`z.infer`) and the validator of every config file and every runtime change.
 */
import { z } from 'zod';
import { ipFamilyOf, isAddressOrCidr, withoutBrackets } from './address-syntax.js';
import { adminTokenProblem } from '../admin/admin-token.js';

export const SLUG_PATTERN = /^[a-z0-9-]{1,40}$/;

const slug = z
  .string()
  .regex(SLUG_PATTERN, 'must be 1–40 characters of a–z, 0–9 and "-"');

const port = z
  .int('must be a whole number')
  .min(1, 'must be 1–65535')
  .max(65535, 'must be 1–65535');

const positiveSeconds = z.int('must be a whole number of seconds').min(1, 'must be at least 1 second');

const certificateSourceFields = {
  pfxPath: z.string().min(1, 'must name a .pfx file').optional(),
  passphrase: z.string().optional(),
  certPath: z.string().min(1, 'must name a PEM certificate file').optional(),
  keyPath: z.string().min(1, 'must name a PEM key file').optional(),
};

const hasOneCertificateSource = (tls: { pfxPath?: string | undefined; certPath?: string | undefined; keyPath?: string | undefined }): boolean =>
  Boolean(tls.pfxPath) !== Boolean(tls.certPath && tls.keyPath);

/** A TLS host name pattern: `intranet.corp.local` or `*.corp.local`. */
const sniHostname = z
  .string()
  .regex(/^(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/, 'must be a host name or *.domain');

/** An extra certificate of an HTTPS listener, served to clients asking for one of `hostnames`. */
const sniCertificateSchema = z
  .strictObject({
    hostnames: z.array(sniHostname).min(1, 'must list at least one host name'),
    ...certificateSourceFields,
  })
  .refine(hasOneCertificateSource, { message: 'needs either pfxPath (with passphrase) or both certPath and keyPath' });

const tlsSchema = z
  .object({
    ...certificateSourceFields,
    /** Certificates picked by the host name the client asks for (SNI); the one above is the default. */
    sni: z.array(sniCertificateSchema).optional(),
    /** Offer HTTP/2 to clients (backends are still spoken to over HTTP/1.1). */
    http2: z.boolean('must be true or false').optional(),
  })
  .refine(hasOneCertificateSource, {
    message: 'needs either pfxPath (with passphrase) or both certPath and keyPath',
  });

/** SHA-256 certificate fingerprint as Windows and browsers show it: `AA:BB:…`, 32 pairs. */
const FINGERPRINT_PATTERN = /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){31}$/;

export const DEFAULT_COMPRESSIBLE_TYPES = ['text/*', 'application/json', 'application/javascript', 'application/xml', 'image/svg+xml'];

const addressOrCidr = z.string().refine(isAddressOrCidr, 'must be an IP address or CIDR range such as 10.0.0.0/8 or fd00::/8');

/** Who may use the gateway (server-wide) or one route. */
export const accessRuleSchema = z.strictObject({
  mode: z.enum(['allow', 'deny'], 'must be "allow" or "deny"'),
  addresses: z.array(addressOrCidr),
  action: z.enum(['403', 'close'], 'must be "403" or "close"').default('403'),
});

const retentionDays = z.int('must be a whole number of days').min(1, 'must be 1–3650 days').max(3650, 'must be 1–3650 days');

export const logsSchema = z.strictObject({
  /** Folder for log files; a `logs` folder next to the config file when omitted. */
  directory: z.string().min(1, 'must name a folder').optional(),
  accessLog: z
    .strictObject({
      enabled: z.boolean('must be true or false').default(false),
      retentionDays: retentionDays.default(30),
    })
    .default({ enabled: false, retentionDays: 30 }),
  eventLog: z
    .strictObject({
      enabled: z.boolean('must be true or false').default(true),
      retentionDays: retentionDays.default(30),
    })
    .default({ enabled: true, retentionDays: 30 }),
});

export const hostHeaderSchema = z
  .strictObject({
    mode: z.enum(['keep', 'fixed'], 'must be "keep" or "fixed"').default('keep'),
    value: z
      .string()
      .regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/, 'must be a host name, optionally with :port')
      .optional(),
  })
  .refine((header) => header.mode !== 'fixed' || Boolean(header.value), {
    message: 'needs a value when mode is "fixed"',
    path: ['value'],
  });

export const compressionSchema = z.strictObject({
  enabled: z.boolean('must be true or false').default(false),
  minBytes: z.int('must be a whole number').min(0, 'must be 0 or more').default(1024),
  types: z
    .array(z.string().regex(/^[a-z0-9.+-]+\/([a-z0-9.+-]+|\*)$/i, 'must be a media type such as text/html or text/*'))
    .default([...DEFAULT_COMPRESSIBLE_TYPES]),
});

export const listenerSchema = z.strictObject({
  port,
  /** Address to bind; all interfaces by default, since the gateway serves the office network. */
  host: z.string().min(1).default('0.0.0.0'),
  tls: tlsSchema.optional(),
  /** On a plain-HTTP listener: answer every request with a 308 to the same URL on this HTTPS port. */
  redirectToHttps: z.strictObject({ port }).optional(),
}).refine((listener) => !(listener.tls && listener.redirectToHttps), {
  message: 'must not be set on an HTTPS listener (it is for the plain-HTTP one)',
  path: ['redirectToHttps'],
});

/** A name the admin server may be reached by (besides its bound address): a host name or an IP address, no port. */
const adminHostName = z
  .string()
  .refine((name) => ipFamilyOf(withoutBrackets(name)) !== 0 || /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.?$/.test(name), 'must be a host name or IP address, without a port');

export const adminSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: port.default(9090),
  /** More names the admin server answers to (DNS-rebinding protection refuses any other Host). */
  allowedHosts: z.array(adminHostName).optional(),
  token: z.string('must be a string').superRefine((token, ctx) => {
    const problem = adminTokenProblem(token);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
});

/** A folder path on a backend: `/` or `/app/`, URL characters only, no `.` or `..` segments. */
const backendPath = z.string().superRefine((path, ctx) => {
  const problem = backendPathProblem(path);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const routeSchema = z.strictObject({
  host: z
    .string()
    .min(1, 'must be a host name, *.domain or *')
    .regex(/^(\*|(\*\.)?[A-Za-z0-9.-]+)$/, 'must be a host name, *.domain or *')
    .default('*'),
  path: z.string().startsWith('/', 'must start with "/"').default('/'),
  /** Where the application lives on its servers: the route's path is replaced by this one. */
  backendPath: backendPath.optional(),
  cluster: slug,
  access: accessRuleSchema.optional(),
  /** For long polls and streaming channels (Exchange ActiveSync, MAPI, RPC over HTTP): overrides the cluster's. */
  requestTimeoutSec: positiveSeconds.max(24 * 3600, 'must be at most 86400 seconds (a day)').optional(),
}).refine((route) => route.backendPath === undefined || route.path.endsWith('/'), {
  message: 'must end with "/" when backendPath is set, e.g. "/wiki/" (a request for "/wiki" is redirected to "/wiki/")',
  path: ['path'],
});

export const healthCheckSchema = z.strictObject({
  type: z.enum(['http', 'tcp'], 'must be "http" or "tcp"').default('tcp'),
  path: z.string().startsWith('/', 'must start with "/"').default('/'),
  /** Host header sent with http checks; the server's own host when omitted. */
  host: z.string().min(1).optional(),
  intervalSec: positiveSeconds.max(3600, 'must be at most 3600 seconds').default(10),
  timeoutMs: z.int('must be a whole number').min(100, 'must be 100–60000 ms').max(60000, 'must be 100–60000 ms').default(2000),
  unhealthyAfter: z.int('must be a whole number').min(1, 'must be 1–100').max(100, 'must be 1–100').default(2),
  healthyAfter: z.int('must be a whole number').min(1, 'must be 1–100').max(100, 'must be 1–100').default(1),
});

export const serverSchema = z.strictObject({
  id: slug,
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  url: z
    .string()
    .refine(isBackendUrl, 'must be an http:// or https:// URL such as http://10.0.0.5:8080'),
  capacity: z.int('must be a whole number 0–100').min(0, 'must be 0–100').max(100, 'must be 0–100').default(100),
  enabled: z.boolean('must be true or false').default(true),
  /** The capacity a drain started from, so that restore puts it back. */
  drainedFromCapacity: z.int().min(1).max(100).optional(),
  /** For an https:// server with a self-signed certificate: trust exactly this certificate. */
  tlsFingerprint: z
    .string()
    .regex(FINGERPRINT_PATTERN, 'must be a SHA-256 fingerprint: 32 hex pairs separated by ":" (AA:BB:…)')
    .optional(),
});

export const clusterSchema = z.strictObject({
  id: slug,
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  enabled: z.boolean('must be true or false').default(true),
  sessionMethod: z.enum(['cookie', 'client-ip'], 'must be "cookie" or "client-ip"').default('cookie'),
  cookieName: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, "_" or "-"')
    .optional(),
  sessionTimeoutSec: positiveSeconds.max(7 * 24 * 3600, 'must be at most 7 days').default(1800),
  sessionMaxLifetimeSec: positiveSeconds.max(30 * 24 * 3600, 'must be at most 30 days').optional(),
  /**
   * A new cookie session is tentative until its client comes back with the cookie: not stored,
   * only counted for balancing and draining, for this long.
   */
  tentativeSessionSec: positiveSeconds.max(3600, 'must be at most 3600 seconds').default(60),
  balancing: z
    .enum(['least-sessions', 'round-robin'], 'must be "least-sessions" or "round-robin"')
    .default('least-sessions'),
  /**
   * How long a backend may stay silent once the request has been sent to it in full: until the
   * first byte of its answer, and between bytes of its answer. Then the client gets a 504 and the
   * server a health failure.
   */
  requestTimeoutSec: positiveSeconds.max(3600, 'must be at most 3600 seconds').default(120),
  /**
   * How long a client may pause in the middle of sending a request body. Then it gets a 408 and the
   * backend request is abandoned; this is never held against the server.
   */
  clientBodyIdleTimeoutSec: positiveSeconds.max(3600, 'must be at most 3600 seconds').default(30),
  /**
   * How long an unused connection to a backend is kept for reuse. Below the backends' own idle
   * timeout (5 s for Apache and Node), so the gateway closes it before the backend does.
   */
  backendIdleTimeoutSec: positiveSeconds.max(300, 'must be at most 300 seconds').default(4),
  /** How long a request may wait for one of a server's connections when all are busy; then 503. */
  backendConnectionWaitSec: positiveSeconds.max(600, 'must be at most 600 seconds').default(10),
  /** Client connections per server that may hold a backend connection of their own (NTLM, Negotiate). */
  maxPinnedConnectionsPerServer: z.int('must be a whole number').min(0, 'must be 0–100000').max(100_000, 'must be 0–100000').default(1000),
  healthCheck: healthCheckSchema.default(healthCheckSchema.parse({})),
  /** The Host header backends receive: the client's (keep) or a fixed name. */
  hostHeader: hostHeaderSchema.default({ mode: 'keep' }),
  compression: compressionSchema.default(compressionSchema.parse({})),
  /** Rewrite the backend's own address and path in Location, Content-Location, Refresh and Set-Cookie. */
  rewriteResponseUrls: z.boolean('must be true or false').default(true),
  servers: z.array(serverSchema).default([]),
});

const perClientLimit = z.int('must be a whole number (0 for no limit)').min(0, 'must be 0 (no limit) or more').max(1_000_000, 'must be at most 1000000');

/** What one client address may hold at once; 0 switches a limit off. */
export const limitsSchema = z.strictObject({
  /** Open connections to the listeners (connections from trusted proxies are not limited). */
  connectionsPerClient: perClientLimit.default(512),
  /** Requests whose body is still being received. */
  uploadsPerClient: perClientLimit.default(64),
  /** Live cookie sessions per cluster; beyond it a client's new sessions are served but not kept. */
  sessionsPerClient: perClientLimit.default(5000),
  /**
   * Client connections holding a backend connection of their own for Windows authentication. A
   * browser opens up to six per site; a Remote Desktop server puts many users behind one address.
   */
  pinnedConnectionsPerClient: perClientLimit.default(128),
});

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

function isBackendUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/** What is wrong with a route's backendPath, one message at a time; undefined when nothing is. */
function backendPathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return 'must start with "/"';
  if (!path.endsWith('/')) return 'must end with "/" like the route\'s path, e.g. "/" or "/app/"';
  if (!/^\/(?:(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})+\/)*$/.test(path)) {
    return 'must be a path such as "/" or "/app/": URL characters only, no "?", "#", spaces or "//"';
  }
  if (/\/\.{1,2}\//.test(path)) return 'must not contain "." or ".." segments';
  return undefined;
}

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
