/** The admin section of the configuration: where the admin API and web console listen, and their token. */
import { z } from 'zod';
import { adminTokenProblem } from './admin-token.js';
import { ipFamilyOf, withoutBrackets } from './address-syntax.js';
import { port } from './schema-fields.js';

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
