/**
 * Certificates of an HTTPS listener: loaded from a PFX file (what a Windows admin exports from the
 * certificate store) or a PEM certificate + key, checked before the listener binds, and chosen per
 * host name by SNI. Every problem an admin can fix becomes a ConfigError naming the field.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import tls from 'node:tls';
import type { TlsConfig } from '../config/config-schema.js';
import type { ListenerCertificate } from '../control/control-api.js';
import { ConfigError } from '../config/config-validation.js';

/** Warn when a certificate expires within this many days, so there is time to renew it. */
const EXPIRY_WARNING_DAYS = 14;

const DAY_MS = 24 * 3600 * 1000;

/**
 * Forward-secret AEAD suites only. The TLS 1.3 suites are listed too so that the set stays the same
 * whatever Node's defaults become; every browser and Windows client of the last decade has these.
 */
const MODERN_CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/** The protocol policy every listener context gets, whichever certificate it carries. */
const TLS_POLICY = {
  minVersion: 'TLSv1.2',
  ciphers: MODERN_CIPHERS,
  honorCipherOrder: true,
} as const satisfies tls.SecureContextOptions;

/** One certificate source as configured: the listener's default one, or one SNI entry. */
export interface CertificateSource {
  pfxPath?: string | undefined;
  passphrase?: string | undefined;
  certPath?: string | undefined;
  keyPath?: string | undefined;
}

export interface CertificateInfo {
  /** The config field this certificate came from, e.g. `listeners[1].tls.sni[0]`. */
  field: string;
  /** Host name patterns it serves by SNI; empty for the listener's default certificate. */
  hostnames: string[];
  subject: string;
  issuer: string;
  subjectAltName: string | null;
  notBefore: Date;
  notAfter: Date;
  fingerprint256: string;
}

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

interface LoadedCertificate {
  contextOptions: tls.SecureContextOptions;
  info: CertificateInfo;
}

function loadCertificate(
  source: CertificateSource,
  field: string,
  hostnames: string[],
  baseDir: string,
  now: Date,
  warnings: string[],
  files: string[],
): LoadedCertificate {
  let contextOptions: tls.SecureContextOptions;
  let leaf: X509Certificate;

  if (source.pfxPath) {
    const pfxField = `${field}.pfxPath`;
    const path = resolve(baseDir, source.pfxPath);
    files.push(path);
    const pfx = readCertificateFile(path, pfxField);
    contextOptions = { ...TLS_POLICY, pfx, passphrase: source.passphrase ?? '' };
    leaf = leafOfPfx(contextOptions, pfxField, `${field}.passphrase`);
  } else if (source.certPath && source.keyPath) {
    const certField = `${field}.certPath`;
    const keyField = `${field}.keyPath`;
    const certFile = resolve(baseDir, source.certPath);
    const keyFile = resolve(baseDir, source.keyPath);
    files.push(certFile, keyFile);
    const cert = readCertificateFile(certFile, certField);
    const key = readCertificateFile(keyFile, keyField);
    leaf = parsePemCertificate(cert, certField);
    checkKeyMatches(leaf, key, source.passphrase, keyField);
    contextOptions = { ...TLS_POLICY, cert, key, ...(source.passphrase ? { passphrase: source.passphrase } : {}) };
    tryCreateContext(contextOptions, certField);
  } else {
    throw fieldError(field, 'needs either pfxPath (with passphrase) or both certPath and keyPath');
  }

  const certificateField = source.pfxPath ? `${field}.pfxPath` : `${field}.certPath`;
  const notBefore = new Date(leaf.validFrom);
  const notAfter = new Date(leaf.validTo);
  if (notAfter.getTime() <= now.getTime()) {
    throw fieldError(certificateField, `holds a certificate that expired on ${notAfter.toISOString()} (${oneLine(leaf.subject)})`);
  }
  if (notBefore.getTime() > now.getTime()) {
    throw fieldError(certificateField, `holds a certificate that is not valid before ${notBefore.toISOString()} (${oneLine(leaf.subject)})`);
  }
  const daysLeft = (notAfter.getTime() - now.getTime()) / DAY_MS;
  if (daysLeft <= EXPIRY_WARNING_DAYS) {
    warnings.push(
      `${certificateField}: certificate ${oneLine(leaf.subject)} expires on ${notAfter.toISOString()} (in ${Math.max(0, Math.round(daysLeft))} days); renew it soon`,
    );
  }
  for (const hostname of hostnames) {
    const probe = hostname.startsWith('*.') ? `switchboard-probe${hostname.slice(1)}` : hostname;
    if (!leaf.checkHost(probe)) {
      warnings.push(`${certificateField}: certificate ${oneLine(leaf.subject)} does not cover host name "${hostname}"; browsers will warn`);
    }
  }

  return {
    contextOptions,
    info: {
      field,
      hostnames,
      subject: oneLine(leaf.subject),
      issuer: oneLine(leaf.issuer),
      subjectAltName: leaf.subjectAltName ?? null,
      notBefore,
      notAfter,
      fingerprint256: leaf.fingerprint256,
    },
  };
}

function readCertificateFile(path: string, field: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw fieldError(field, `names a file that does not exist: ${path}`);
    if (code === 'EACCES' || code === 'EPERM') throw fieldError(field, `names a file the gateway may not read: ${path}`);
    if (code === 'EISDIR') throw fieldError(field, `must name a file, not a folder: ${path}`);
    throw fieldError(field, `could not be read (${(error as Error).message})`);
  }
}

/**
 * Opening a PFX is what verifies its passphrase and that its key fits its certificate. The leaf
 * certificate is then read back through a server-side TLSSocket that is never connected: its
 * documented `getCertificate()` returns the context's own certificate, so no PKCS#12 parser is needed.
 */
function leafOfPfx(contextOptions: tls.SecureContextOptions, pfxField: string, passphraseField: string): X509Certificate {
  let context: tls.SecureContext;
  try {
    context = tls.createSecureContext(contextOptions);
  } catch (error) {
    const message = (error as Error).message;
    if (/mac verify failure|bad decrypt|invalid password/i.test(message)) {
      throw fieldError(passphraseField, 'does not open the PFX file (wrong passphrase)');
    }
    if (/unsupported pkcs12 pfx data/i.test(message)) {
      throw fieldError(
        pfxField,
        'uses old RC2 encryption that cannot be read: export the certificate again with "AES256-SHA256" (or "TripleDES-SHA1") encryption',
      );
    }
    if (/key values mismatch/i.test(message)) {
      throw fieldError(pfxField, 'holds a private key that does not belong to its certificate');
    }
    throw fieldError(pfxField, `is not a valid PFX/PKCS#12 file (${message})`);
  }
  const socket = new tls.TLSSocket(null as never, { secureContext: context, isServer: true });
  try {
    const own = socket.getCertificate();
    if (!own || !('raw' in own) || !own.raw) throw fieldError(pfxField, 'holds no certificate');
    return new X509Certificate(own.raw);
  } finally {
    socket.destroy();
  }
}

function parsePemCertificate(pem: Buffer, field: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw fieldError(field, 'is not a PEM certificate (expected "-----BEGIN CERTIFICATE-----")');
  }
}

function checkKeyMatches(leaf: X509Certificate, keyPem: Buffer, passphrase: string | undefined, keyField: string): void {
  let matches: boolean;
  try {
    const key = createPrivateKey(passphrase ? { key: keyPem, passphrase } : { key: keyPem });
    matches = leaf.checkPrivateKey(key);
  } catch (error) {
    const message = (error as Error).message;
    if (/passphrase|bad decrypt/i.test(message)) throw fieldError(keyField, 'is encrypted: set tls.passphrase to its password (or the one set is wrong)');
    throw fieldError(keyField, 'is not a PEM private key (expected "-----BEGIN PRIVATE KEY-----")');
  }
  if (!matches) throw fieldError(keyField, 'does not belong to the certificate in certPath');
}

function tryCreateContext(contextOptions: tls.SecureContextOptions, field: string): void {
  try {
    tls.createSecureContext(contextOptions);
  } catch (error) {
    throw fieldError(field, `cannot be used for TLS (${(error as Error).message})`);
  }
}

function fieldError(path: string, message: string): ConfigError {
  return new ConfigError([{ path, message }]);
}

/** X509Certificate gives multi-line DNs; one line reads better in logs and the dashboard. */
function oneLine(distinguishedName: string): string {
  return distinguishedName.split('\n').filter(Boolean).join(', ');
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
