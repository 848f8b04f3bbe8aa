/**
 * The Host header a backend receives. `keep` passes the client's on, which suits applications that
 * build links from it; `fixed` sends the name the backend expects (e.g. an IIS site bound to
 * `app01.corp.local`) whatever name the client used.
 */
import type { HostHeaderConfig } from '../config/config-schema.js';

export function backendHostHeader(setting: HostHeaderConfig | undefined, clientHost: string | undefined): string | undefined {
  if (setting?.mode === 'fixed' && setting.value) return setting.value;
  return clientHost;
}
