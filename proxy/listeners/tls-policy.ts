/** The TLS protocol policy of every HTTPS listener, whichever certificate it carries. */
import type tls from 'node:tls';

/**
 * Forward-secret AEAD suites only. The TLS 1.3 suites are listed too so that the set stays the same
 * whatever Node's defaults become; every browser and Windows client of the last decade has these.
 */
export const MODERN_CIPHERS = [
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
export const TLS_POLICY = {
  minVersion: 'TLSv1.2',
  ciphers: MODERN_CIPHERS,
  honorCipherOrder: true,
} as const satisfies tls.SecureContextOptions;
