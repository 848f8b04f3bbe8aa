/**
 * Finds the Windows service's admin API: whether the service is installed (the installer's marker
 * file) and, from its config file, the loopback address and token of its admin API.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { browsableHost } from '../../proxy/admin/admin-server.js';
import { adminSchema } from '../../proxy/config/config-schema.js';
import type { AdminEndpoint } from '../admin-api-client.js';
import { SERVICE_CONFIG_FILE, SERVICE_MARKER_FILE } from './service-layout.js';

export interface ServiceInstallation {
  dataDir: string;
  configPath: string;
}

/** The installed service, or null when the desktop app should run its own gateway. */
export function findServiceInstallation(dataDir: string | null): ServiceInstallation | null {
  if (dataDir === null || !existsSync(join(dataDir, SERVICE_MARKER_FILE))) return null;
  return { dataDir, configPath: join(dataDir, SERVICE_CONFIG_FILE) };
}

/** Reads the admin address and token from the service's config; throws with a message for the tray. */
export function readServiceEndpoint(configPath: string): AdminEndpoint {
  let text: string;
  try {
    text = readFileSync(configPath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`the service has not created its settings yet (${configPath})`);
    if (code === 'EACCES' || code === 'EPERM') {
      throw new Error(`the service's settings ${configPath} are readable by administrators only: run Switchboard as administrator`);
    }
    throw new Error(`cannot read the service's settings ${configPath}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    // Windows PowerShell 5.1 saves UTF-8 with a byte order mark.
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new Error(`the service's settings ${configPath} are not valid JSON: ${(error as Error).message}`);
  }
  const admin = adminSchema.safeParse((raw as { admin?: unknown } | null)?.admin);
  if (!admin.success) throw new Error(`the service's settings ${configPath} have no valid "admin" section`);
  return { baseUrl: `http://${browsableHost(admin.data.host)}:${admin.data.port}`, token: admin.data.token };
}

/** The web console with its token in the fragment, which never reaches a server log. */
export function consoleUrlOf(endpoint: AdminEndpoint): string {
  return `${endpoint.baseUrl}/#token=${encodeURIComponent(endpoint.token)}`;
}
