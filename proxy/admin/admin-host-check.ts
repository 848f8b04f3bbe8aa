/**
 * DNS-rebinding protection for the admin server: a web page on `evil.example` whose name is made
 * to resolve to 127.0.0.1 reaches the admin port from the admin's own browser, but its requests
 * still carry `Host: evil.example`. So the admin server answers only to the names it is known by:
 * the loopback names when it listens on loopback, the address it is bound to, and the names listed
 * in `admin.allowedHosts`. When bound to every interface (`0.0.0.0`, `::`) any IP address is also
 * accepted, since an address typed as such cannot be rebound to another machine.
 */
import { isIP } from 'node:net';
import { withoutBrackets } from '../config/address-syntax.js';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

/** A function telling whether a request's Host header names this admin server. */
export function createAdminHostCheck(boundHost: string, allowedHosts: readonly string[] = []): (hostHeader: string | undefined) => boolean {
  const bound = normaliseName(boundHost);
  const wildcard = bound === '' || bound === '0.0.0.0' || bound === '::';
  const allowed = new Set(allowedHosts.map(normaliseName));
  if (wildcard || isLoopback(bound)) for (const name of LOOPBACK_NAMES) allowed.add(name);
  if (!wildcard) allowed.add(bound);
  return (hostHeader) => {
    const name = hostNameOf(hostHeader);
    if (name === null) return false;
    return allowed.has(name) || (wildcard && isIP(name) !== 0);
  };
}

/** The host name of a Host header (`name[:port]`, `[v6][:port]`), lower case, or null when malformed. */
export function hostNameOf(hostHeader: string | undefined): string | null {
  if (hostHeader === undefined) return null;
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s]+))(?::(\d{1,5}))?$/.exec(hostHeader.trim());
  if (!match) return null;
  const name = normaliseName(match[1] ?? match[2]!);
  return name === '' ? null : name;
}

function normaliseName(name: string): string {
  return withoutBrackets(name.trim()).replace(/\.$/, '').toLowerCase();
}

function isLoopback(name: string): boolean {
  return name === 'localhost' || name === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}
