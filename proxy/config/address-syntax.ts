/**
 * Whether a config entry is an IP address or CIDR range. Free of Node built-ins so the config schema
 * that uses it can also run in the dashboard; the WHATWG URL parser does the IPv6 syntax.
 */

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function ipFamilyOf(text: string): 4 | 6 | 0 {
  if (IPV4.test(text)) return 4;
  if (!text.includes(':') || !/^[0-9A-Fa-f:.]+$/.test(text)) return 0;
  try {
    new URL(`http://[${text}]/`);
    return 6;
  } catch {
    return 0;
  }
}

/** An IPv6 literal without the brackets URLs and Host headers put around it (`[::1]` → `::1`); anything else as it is. */
export function withoutBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** `192.168.1.7`, `10.0.0.0/8`, `::1`, `fd00::/8`. */
export function isAddressOrCidr(text: string): boolean {
  const slash = text.indexOf('/');
  const family = ipFamilyOf(slash < 0 ? text : text.slice(0, slash));
  if (family === 0) return false;
  if (slash < 0) return true;
  const prefix = text.slice(slash + 1);
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}
