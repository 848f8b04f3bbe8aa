/**
 * Renewed certificates take effect without a restart: when a certificate file changes, it is loaded
 * and checked again, and only a good set replaces the one in use. A half-copied or wrong file keeps
 * the old certificate serving and says why in the log.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import type { LiveCertificates } from './https-listener.js';
import type { LoadedListenerTls } from './tls-certificates.js';

export interface CertificateWatcherOptions {
  certificates: LiveCertificates;
  /** Loads and checks the listener's certificates again (throws ConfigError when they are bad). */
  reload: () => LoadedListenerTls;
  logger: GatewayLogger;
  /** Name of the listener in log lines, e.g. "listener :8443". */
  label: string;
  /** Copying a file fires several change events; wait this long after the last one. */
  debounceMs?: number;
}

export interface CertificateWatcher {
  /** Reloads at once; true when the new certificates are now in use. */
  reloadNow(): boolean;
  close(): void;
}

export function watchListenerCertificates(options: CertificateWatcherOptions): CertificateWatcher {
  const debounceMs = options.debounceMs ?? 500;
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const reloadNow = (): boolean => {
    let next: LoadedListenerTls;
    try {
      next = options.reload();
    } catch (error) {
      options.logger.warn(`${options.label}: new certificate not used, the previous one stays in service`, {
        reason: (error as Error).message,
      });
      return false;
    }
    options.certificates.replace(next);
    options.logger.info(`${options.label}: certificate reloaded`, {
      certificates: next.certificates.map((c) => `${c.subject} until ${c.notAfter.toISOString()}`),
    });
    for (const warning of next.warnings) options.logger.warn(`${options.label}: ${warning}`);
    return true;
  };

  const schedule = (): void => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(reloadNow, debounceMs);
  };

  // Folders rather than files are watched: renewal tools usually write a new file and rename it
  // over the old one, which a watch on the old file would never see.
  const namesByFolder = new Map<string, Set<string>>();
  for (const file of options.certificates.current.files) {
    const folder = dirname(file);
    const names = namesByFolder.get(folder) ?? new Set<string>();
    names.add(basename(file));
    namesByFolder.set(folder, names);
  }
  for (const [folder, names] of namesByFolder) {
    try {
      const watcher = watch(folder, { persistent: false }, (_event, filename) => {
        if (filename === null || names.has(basename(filename.toString()))) schedule();
      });
      watcher.on('error', (error) => options.logger.warn(`${options.label}: stopped watching ${folder} for certificate changes`, { reason: error.message }));
      watchers.push(watcher);
    } catch (error) {
      options.logger.warn(`${options.label}: cannot watch ${folder} for certificate changes`, { reason: (error as Error).message });
    }
  }

  return {
    reloadNow,
    close() {
      closed = true;
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}
