/**
 * How the gateway connects to one backend server, with the TLS trust decision for `https://` servers:
 * a Node agent (health probes, WebSockets) or an undici connector (requests, see
 * backend-connections.ts). A server with a CA-signed certificate is verified the normal way against
 * the host name in its URL. A server with a self-signed certificate is trusted by its SHA-256
 * fingerprint instead: the socket is handed to the request only after the fingerprint matched, so
 * not a byte of the request (cookies, credentials) reaches an impostor.
 */
import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { buildConnector } from 'undici';
import type { ServerConfig } from '../config/config-schema.js';
import { withoutBrackets } from '../config/address-syntax.js';

export type BackendServerLike = Pick<ServerConfig, 'url' | 'tlsFingerprint'>;

/** Idle connections are kept this long for the next request; backends typically close after 5 s+. */
const KEEP_ALIVE_MS = 1000;

/** `agentOptions` (socket limits, idle timeout) apply to every kind of agent; TLS trust is decided here. */
export function createBackendAgent(server: BackendServerLike, agentOptions: http.AgentOptions = {}): http.Agent {
  const url = new URL(server.url);
  const common: http.AgentOptions = { keepAlive: true, keepAliveMsecs: KEEP_ALIVE_MS, scheduling: 'lifo', ...agentOptions };
  if (url.protocol !== 'https:') return new http.Agent(common);

  const servername = tlsServername(url);
  if (!server.tlsFingerprint) return new https.Agent({ ...common, servername, rejectUnauthorized: true });
  return new FingerprintAgent({ ...common, servername }, server.tlsFingerprint);
}

/** An https agent that trusts exactly one certificate, identified by its SHA-256 fingerprint. */
class FingerprintAgent extends https.Agent {
  private readonly expected: Buffer;

  constructor(options: https.AgentOptions, fingerprint: string) {
    // A resumed TLS session may skip the certificate exchange; without caching every connection
    // shows its certificate and is checked.
    super({ ...options, maxCachedSessions: 0 });
    this.expected = fingerprintBytes(fingerprint);
  }

  override createConnection(options: https.RequestOptions, callback?: (error: Error | null, stream: Duplex) => void): undefined {
    let settled = false;
    const settle = (error: Error | null, stream?: Duplex): void => {
      if (settled) return;
      settled = true;
      callback?.(error, stream as Duplex);
    };
    // The chain cannot verify for a self-signed certificate; the fingerprint below replaces that check.
    const socket = tls.connect({ ...(options as tls.ConnectionOptions), rejectUnauthorized: false });
    socket.once('error', (error) => settle(error));
    socket.once('secureConnect', () => {
      const presented = socket.getPeerCertificate().fingerprint256;
      if (presented && this.matches(presented)) {
        settle(null, socket);
        return;
      }
      socket.destroy();
      settle(fingerprintMismatch(presented));
    });
    return undefined;
  }

  private matches(presented: string): boolean {
    return fingerprintMatches(presented, this.expected);
  }
}

/**
 * The connector for undici clients: plain TCP, TLS verified against the server's name, or TLS
 * trusted by fingerprint, where the socket reaches the client only after the fingerprint matched.
 */
export function createBackendConnector(server: BackendServerLike): buildConnector.connector {
  const url = new URL(server.url);
  if (url.protocol !== 'https:') return buildConnector({});
  if (!server.tlsFingerprint) return withOwnServername(url, buildConnector({ rejectUnauthorized: true }));
  const expected = fingerprintBytes(server.tlsFingerprint);
  // No session cache: a resumed session may skip the certificate, which must be checked every time.
  const connect = withOwnServername(url, buildConnector({ rejectUnauthorized: false, maxCachedSessions: 0 }));
  return (options, callback) =>
    connect(options, (error, socket) => {
      if (error) return callback(error, null);
      const presented = (socket as tls.TLSSocket).getPeerCertificate().fingerprint256;
      if (presented && fingerprintMatches(presented, expected)) return callback(null, socket);
      socket.destroy();
      callback(fingerprintMismatch(presented), null);
    });
}

/**
 * undici offers each connection the name in the request's Host header, the client's choice, and
 * that name would win over the connector's own: it would be sent as SNI and be the name the
 * certificate is checked against. The name from the server's URL is put in its place.
 *
 * A certificate that does not name the server fails with ERR_TLS_CERT_ALTNAME_INVALID, for which
 * undici (7.30) has a path of its own: it fails the request but goes on counting it as under way,
 * and every later request on that connection waits forever. Under another code the failure takes
 * undici's ordinary path, like any other failed connect.
 */
function withOwnServername(url: URL, connect: buildConnector.connector): buildConnector.connector {
  const servername = tlsServername(url);
  return (options, callback) =>
    connect({ ...options, servername }, (error, socket) => {
      if (!error) return callback(null, socket);
      const code = (error as Error & { code?: string }).code;
      if (code !== 'ERR_TLS_CERT_ALTNAME_INVALID') return callback(error, null);
      callback(Object.assign(new Error(error.message, { cause: error }), { code: 'ERR_TLS_CERT_NAME_MISMATCH' }), null);
    });
}

/**
 * SNI and certificate checks use the backend's own name, never the Host header the client sent.
 * TLS forbids an IP address as SNI, hence '' for IP URLs.
 */
function tlsServername(url: URL): string {
  const hostname = withoutBrackets(url.hostname);
  return isIP(hostname) ? '' : hostname;
}

function fingerprintMismatch(presented: string | undefined): Error {
  return Object.assign(new Error(`backend certificate fingerprint ${presented ?? '(none)'} does not match the configured tlsFingerprint`), {
    code: 'ERR_TLS_FINGERPRINT_MISMATCH',
  });
}

function fingerprintMatches(presented: string, expected: Buffer): boolean {
  const actual = fingerprintBytes(presented);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function fingerprintBytes(fingerprint: string): Buffer {
  return Buffer.from(fingerprint.replace(/:/g, ''), 'hex');
}
