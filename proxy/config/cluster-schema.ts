/** The clusters section of the configuration: each cluster's sessions, balancing, health checks and servers. */
import { z } from 'zod';
import { positiveSeconds, slug } from './schema-fields.js';

/** SHA-256 certificate fingerprint as Windows and browsers show it: `AA:BB:…`, 32 pairs. */
export const FINGERPRINT_PATTERN = /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){31}$/;

export const DEFAULT_COMPRESSIBLE_TYPES = ['text/*', 'application/json', 'application/javascript', 'application/xml', 'image/svg+xml'];

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

function isBackendUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}
