/**
 * Self-signed certificates made on the spot with the openssl command line, as PEM pairs and as PFX
 * files like the ones Windows exports. EC P-256 keys: quick to generate.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCertificate {
  certPath: string;
  keyPath: string;
  pfxPath: string;
  passphrase: string;
  fingerprint256: string;
  subject: string;
}

export interface CertificateRequest {
  commonName: string;
  /** DNS names; the common name when omitted. */
  dnsNames?: string[];
  /** IP addresses the certificate names; 127.0.0.1 when omitted, none with []. */
  ipAddresses?: string[];
  days?: number;
  passphrase?: string;
  /** File name stem inside `directory`. */
  name?: string;
}

export function makeCertificate(directory: string, request: CertificateRequest): TestCertificate {
  const name = request.name ?? request.commonName.replace(/[^a-z0-9]/gi, '_');
  const certPath = join(directory, `${name}.crt`);
  const keyPath = join(directory, `${name}.key`);
  const pfxPath = join(directory, `${name}.pfx`);
  const passphrase = request.passphrase ?? 'correct horse';
  const dnsNames = (request.dnsNames ?? [request.commonName]).map((dns) => `DNS:${dns}`);
  const ipAddresses = (request.ipAddresses ?? ['127.0.0.1']).map((ip) => `IP:${ip}`);
  const altNames = [...dnsNames, ...ipAddresses].join(',');
  openssl([
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', keyPath, '-out', certPath, '-days', String(request.days ?? 365),
    '-subj', `/CN=${request.commonName}`, '-addext', `subjectAltName=${altNames}`,
  ]);
  openssl(['pkcs12', '-export', '-in', certPath, '-inkey', keyPath, '-out', pfxPath, '-passout', `pass:${passphrase}`]);
  const parsed = new X509Certificate(readFileSync(certPath));
  return { certPath, keyPath, pfxPath, passphrase, fingerprint256: parsed.fingerprint256, subject: parsed.subject };
}

/** A PFX with the old RC2 encryption some Windows versions still produce. */
export function makeLegacyPfx(certificate: TestCertificate, pfxPath: string): void {
  openssl(['pkcs12', '-export', '-legacy', '-in', certificate.certPath, '-inkey', certificate.keyPath, '-out', pfxPath, '-passout', `pass:${certificate.passphrase}`]);
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}
