/** The routes section of the configuration, and the access rule a route (or the whole gateway) may carry. */
import { z } from 'zod';
import { addressOrCidr, positiveSeconds, slug } from './schema-fields.js';

/** Who may use the gateway (server-wide) or one route. */
export const accessRuleSchema = z.strictObject({
  mode: z.enum(['allow', 'deny'], 'must be "allow" or "deny"'),
  addresses: z.array(addressOrCidr),
  action: z.enum(['403', 'close'], 'must be "403" or "close"').default('403'),
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
