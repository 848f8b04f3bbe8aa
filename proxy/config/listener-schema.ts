/** The listeners section of the configuration: port, address and, for HTTPS, certificates. */
import { z } from 'zod';
import { port } from './schema-fields.js';

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
export const sniCertificateSchema = z
  .strictObject({
    hostnames: z.array(sniHostname).min(1, 'must list at least one host name'),
    ...certificateSourceFields,
  })
  .refine(hasOneCertificateSource, { message: 'needs either pfxPath (with passphrase) or both certPath and keyPath' });

export const tlsSchema = z
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
