/**
 * The client's real address. Behind a trusted reverse proxy or load balancer the TCP peer is that
 * proxy, and the client is named in `X-Forwarded-For`. Only hops we trust may vouch for the next one,
 * so the header is read right to left and stops at the first address that is not a trusted proxy:
 * anything further left could have been written by the client itself.
 */
import { normalizeAddress, type AddressList } from './access-rules.js';

export function resolveClientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedProxies: AddressList,
): string {
  const peer = normalizeAddress(socketAddress ?? '') ?? socketAddress ?? '';
  if (forwardedFor === undefined || trustedProxies.size === 0 || !trustedProxies.includes(peer)) return peer;

  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseHop(hops[i]!);
    // A malformed entry was written by the trusted hop's own client; it proves nothing, so the
    // last address a trusted hop vouched for stands.
    if (hop === null) return client;
    client = hop;
    if (!trustedProxies.includes(hop)) return hop;
  }
  return client;
}

/** `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`, `[2001:db8::1]:443`. */
function parseHop(text: string): string | null {
  const hop = text.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hop);
  if (bracketed) return normalizeAddress(bracketed[1]!);
  const ipv4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(hop);
  if (ipv4WithPort) return normalizeAddress(ipv4WithPort[1]!);
  return normalizeAddress(hop);
}
