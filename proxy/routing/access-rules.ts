/**
 * Who may use the gateway: allow or deny lists of IP addresses and CIDR ranges, IPv4 and IPv6,
 * compiled once per config change into Node's BlockList (which also matches IPv4-mapped IPv6
 * addresses such as `::ffff:10.0.0.5` against IPv4 ranges, and the other way round).
 */
import type http from 'node:http';
import { BlockList, isIP } from 'node:net';
import { isAddressOrCidr, withoutBrackets } from '../config/address-syntax.js';
import type { AccessRuleConfig } from '../config/config-schema.js';

export type { AccessRuleConfig };

export interface AddressPattern {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** `10.0.0.0/8`, `192.168.1.7`, `fd00::/8`, `::1`; null when it is none of these. */
export function parseAddressPattern(text: string): AddressPattern | null {
  if (!isAddressOrCidr(text)) return null;
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const family = isIP(address) === 4 ? 'ipv4' : 'ipv6';
  // Kept as written: BlockList itself matches IPv4 clients against IPv4-mapped IPv6 ranges.
  return { address, prefix: slash < 0 ? (family === 'ipv4' ? 32 : 128) : Number(text.slice(slash + 1)), family };
}

/**
 * A bare IP address in its plain form: IPv6 zone dropped, IPv4-mapped IPv6 written as IPv4, so
 * that logs, session keys and rules all see one spelling per client. Null when not an address.
 */
export function normalizeAddress(text: string): string | null {
  let address = withoutBrackets(text.trim());
  const zone = address.indexOf('%');
  if (zone >= 0) address = address.slice(0, zone);
  const family = isIP(address);
  if (family === 0) return null;
  if (family === 6) {
    const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
    if (mapped && isIP(mapped[1]!) === 4) return mapped[1]!;
    return address.toLowerCase();
  }
  return address;
}

export interface AddressList {
  /** True when the address falls in any listed address or range; false for non-addresses. */
  includes(address: string): boolean;
  readonly size: number;
}

/** Throws on an entry that is not an address or CIDR (the schema rejects those before this runs). */
export function compileAddressList(patterns: readonly string[]): AddressList {
  const list = new BlockList();
  for (const text of patterns) {
    const pattern = parseAddressPattern(text);
    if (!pattern) throw new Error(`"${text}" is not an IP address or CIDR range`);
    list.addSubnet(pattern.address, pattern.prefix, pattern.family);
  }
  const size = patterns.length;
  return {
    size,
    includes(address) {
      if (size === 0) return false;
      const plain = normalizeAddress(address);
      if (plain === null) return false;
      return list.check(plain, isIP(plain) === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

export interface AccessMatcher {
  allows(clientAddress: string): boolean;
  readonly action: AccessRuleConfig['action'];
}

const ALLOW_EVERYONE: AccessMatcher = { allows: () => true, action: '403' };

/**
 * An allow list lets in only the listed clients; a deny list keeps out only the listed ones. A
 * client whose address cannot be read is let in by a deny list and kept out by an allow list.
 */
export function compileAccessRule(rule: AccessRuleConfig | undefined): AccessMatcher {
  if (!rule) return ALLOW_EVERYONE;
  const listed = compileAddressList(rule.addresses);
  const allowListed = rule.mode === 'allow';
  return {
    action: rule.action,
    allows: (clientAddress) => listed.includes(clientAddress) === allowListed,
  };
}

/** The first matcher that refuses the client, server-wide rules first; null when all allow. */
export function refusingMatcher(clientAddress: string, ...matchers: (AccessMatcher | undefined)[]): AccessMatcher | null {
  for (const matcher of matchers) if (matcher && !matcher.allows(clientAddress)) return matcher;
  return null;
}

/** Turns a refusal into what the client sees: a plain 403, or a dropped connection. */
export function refuseRequest(action: AccessRuleConfig['action'], req: http.IncomingMessage, res: http.ServerResponse): void {
  if (action === 'close') {
    // An HTTP/2 request shares its connection and may not touch the socket: end the whole session.
    const stream = (req as http.IncomingMessage & { stream?: { session?: { destroy(): void } } }).stream;
    if (stream?.session) stream.session.destroy();
    else req.socket.destroy();
    return;
  }
  const body = 'Access denied: your address is not allowed to use this site.\n';
  res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}
