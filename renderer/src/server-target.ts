/**
 * The server the dashboard was asked to show: the desktop app opens it at `#server=<cluster>/<server>`
 * (from a notification or the tray). The request is taken out of the address once read, so that
 * asking for the same server again is a new `hashchange`.
 */
export interface ServerTarget {
  clusterId: string;
  serverId: string;
}

const SERVER_PARAM = /(?:^#|&)server=([^&/]+)\/([^&]+)/;

export function parseServerTarget(hash: string): ServerTarget | null {
  const match = SERVER_PARAM.exec(hash);
  if (!match?.[1] || !match[2]) return null;
  const clusterId = safeDecode(match[1]);
  const serverId = safeDecode(match[2]);
  return clusterId && serverId ? { clusterId, serverId } : null;
}

/** The fragment without its `server=` part, `''` when nothing else is left. */
export function hashWithoutServerTarget(hash: string): string {
  const rest = hash
    .replace(/^#/, '')
    .split('&')
    .filter((part) => part !== '' && !part.startsWith('server='));
  return rest.length > 0 ? `#${rest.join('&')}` : '';
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
