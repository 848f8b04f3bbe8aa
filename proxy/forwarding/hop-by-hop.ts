/**
 * The one list of hop-by-hop headers: they describe a single connection, not the message, so the
 * gateway never passes them on, in either direction (RFC 9110 §7.6.1). Requests and responses,
 * compressed or not, all filter with this list and with the names a `Connection` header adds to it.
 */

/**
 * `expect` is answered by the gateway's own server (100-continue) and `http2-settings` belongs to an
 * h2c upgrade the gateway does not offer: neither may reach the other side.
 */
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'http2-settings',
]);

/** The header names a `Connection` header lists, lower-cased; undefined when it is only keep-alive or close. */
export function connectionTokens(connection: string | string[] | undefined): Set<string> | undefined {
  if (connection === undefined || connection === 'keep-alive' || connection === 'close') return undefined;
  const text = Array.isArray(connection) ? connection.join(',') : connection;
  const tokens = new Set<string>();
  for (const token of text.split(',')) {
    const name = token.trim().toLowerCase();
    if (name !== '') tokens.add(name);
  }
  return tokens.size === 0 ? undefined : tokens;
}
