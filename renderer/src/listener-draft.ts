/**
 * A listener as its edit form holds it (text fields, one choice of certificate source) and the
 * conversions to and from the configuration. Settings the form does not show, SNI certificates
 * and HTTP/2, are carried through unchanged.
 */
import type { ListenerConfig } from '../../proxy/control/control-api.js';
import { numberOrText } from './components/number-field.js';

export type ListenerSecurity = 'http' | 'pfx' | 'pem';

type TlsConfig = NonNullable<ListenerConfig['tls']>;

export interface ListenerDraft {
  port: string;
  host: string;
  security: ListenerSecurity;
  pfxPath: string;
  passphrase: string;
  certPath: string;
  keyPath: string;
  redirect: boolean;
  redirectPort: string;
  /** Kept from the listener being edited. */
  sni?: TlsConfig['sni'];
  http2?: boolean;
}

const DEFAULT_HOST = '0.0.0.0';

export function newListenerDraft(taken: readonly ListenerConfig[]): ListenerDraft {
  const ports = new Set(taken.map((l) => l.port));
  let port = 8443;
  while (ports.has(port)) port += 1;
  return {
    port: String(port),
    host: DEFAULT_HOST,
    security: 'pem',
    pfxPath: '',
    passphrase: '',
    certPath: '',
    keyPath: '',
    redirect: false,
    redirectPort: '443',
  };
}

export function draftOfListener(listener: ListenerConfig): ListenerDraft {
  const tls = listener.tls;
  return {
    port: String(listener.port),
    host: listener.host,
    security: !tls ? 'http' : tls.pfxPath ? 'pfx' : 'pem',
    pfxPath: tls?.pfxPath ?? '',
    passphrase: tls?.passphrase ?? '',
    certPath: tls?.certPath ?? '',
    keyPath: tls?.keyPath ?? '',
    redirect: listener.redirectToHttps !== undefined,
    redirectPort: String(listener.redirectToHttps?.port ?? 443),
    ...(tls?.sni ? { sni: tls.sni } : {}),
    ...(tls?.http2 !== undefined ? { http2: tls.http2 } : {}),
  };
}

/**
 * The listener to send. Numbers that are not numbers and empty paths are sent as typed, so that
 * the gateway's validation says what is wrong next to the field.
 */
export function listenerOfDraft(draft: ListenerDraft): ListenerConfig {
  const listener: Record<string, unknown> = {
    port: numberOrText(draft.port),
    host: draft.host.trim() || DEFAULT_HOST,
  };
  if (draft.security === 'http') {
    if (draft.redirect) listener.redirectToHttps = { port: numberOrText(draft.redirectPort) };
  } else {
    const tls: Record<string, unknown> =
      draft.security === 'pfx'
        ? { pfxPath: draft.pfxPath.trim() }
        : { certPath: draft.certPath.trim(), keyPath: draft.keyPath.trim() };
    if (draft.passphrase) tls.passphrase = draft.passphrase;
    if (draft.sni) tls.sni = draft.sni;
    if (draft.http2 !== undefined) tls.http2 = draft.http2;
    listener.tls = tls;
  }
  return listener as unknown as ListenerConfig;
}

/** One entry per line; blank lines and surrounding spaces do not count. */
export function linesOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
