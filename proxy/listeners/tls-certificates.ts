/**
 * Certificates of an HTTPS listener: loaded from a PFX file (what a Windows admin exports from the
 * certificate store) or a PEM certificate + key, checked before the listener binds (in
 * `certificate-source.ts`), and chosen per host name by SNI.
 */
import tls from 'node:tls';
import type { TlsConfig } from '../config/config-schema.js';
import type { ListenerCertificate } from '../control/control-api.js';
import { loadCertificate, type CertificateInfo, type CertificateSource } from './certificate-source.js';

export interface LoadedListenerTls {
  /** Default certificate + protocol policy: for `https.createServer` and `server.setSecureContext`. */
  secureContextOptions: tls.SecureContextOptions;
  /** Picks the certificate whose host name pattern matches; the default one otherwise. */
  sniCallback: (servername: string, callback: (error: Error | null, context?: tls.SecureContext) => void) => void;
  warnings: string[];
  certificates: CertificateInfo[];
  /** Absolute paths of every file read, for the certificate watcher. */
  files: string[];
}

export interface LoadTlsOptions {
  /** Relative certificate paths are resolved against this folder (the config file's folder). */
  baseDir: string;
  /** Config path of the `tls` object, e.g. `listeners[1].tls`, used in error messages. */
  field: string;
  /** Injected clock for the expiry checks. */
  now?: Date;
}

type ListenerTlsInput = CertificateSource & Pick<TlsConfig, 'sni'>;

export function loadListenerTls(tlsConfig: ListenerTlsInput, options: LoadTlsOptions): LoadedListenerTls {
  const now = options.now ?? new Date();
  const warnings: string[] = [];
  const files: string[] = [];

  const main = loadCertificate(tlsConfig, options.field, [], options.baseDir, now, warnings, files);
  const certificates = [main.info];
  const sniEntries = (tlsConfig.sni ?? []).map((entry, index) => {
    const field = `${options.field}.sni[${index}]`;
    const loaded = loadCertificate(entry, field, entry.hostnames, options.baseDir, now, warnings, files);
    certificates.push(loaded.info);
    return { patterns: entry.hostnames.map((name) => name.toLowerCase()), context: tls.createSecureContext(loaded.contextOptions) };
  });
  const defaultContext = tls.createSecureContext(main.contextOptions);

  const sniCallback: LoadedListenerTls['sniCallback'] = (servername, callback) => {
    callback(null, pickContext(sniEntries, servername) ?? defaultContext);
  };

  return { secureContextOptions: main.contextOptions, sniCallback, warnings, certificates, files: [...new Set(files)] };
}

/** Exact name first, then `*.domain` covering one more label (as TLS wildcards work). */
function pickContext(entries: { patterns: string[]; context: tls.SecureContext }[], servername: string): tls.SecureContext | undefined {
  const name = servername.toLowerCase().replace(/\.$/, '');
  if (!name) return undefined;
  for (const entry of entries) if (entry.patterns.includes(name)) return entry.context;
  const dot = name.indexOf('.');
  if (dot < 0) return undefined;
  const wildcard = `*${name.slice(dot)}`;
  for (const entry of entries) if (entry.patterns.includes(wildcard)) return entry.context;
  return undefined;
}

/** The certificates of a listener as the state snapshot shows them. */
export function listenerCertificates(loaded: LoadedListenerTls): ListenerCertificate[] {
  return loaded.certificates.map((info) => ({
    hostnames: info.hostnames,
    subject: info.subject,
    issuer: info.issuer,
    notAfter: info.notAfter.getTime(),
    fingerprint256: info.fingerprint256,
  }));
}
