/**
 * Loads and checks the certificates of every HTTPS listener of a configuration, before it is
 * applied: a missing, wrong or expired certificate rejects the change like any invalid field.
 */
import { dirname } from 'node:path';
import type { GatewayConfig } from '../config/config-schema.js';
import { loadListenerTls, type LoadedListenerTls } from './tls-certificates.js';

/** A validated configuration together with what had to be read from disk to accept it. */
export interface PreparedConfig {
  config: GatewayConfig;
  /** Per listener, in order: its loaded certificates, or null for plain HTTP. */
  listenerTls: (LoadedListenerTls | null)[];
}

/** Throws ConfigError naming the listener's field when a certificate cannot be used. */
export function prepareConfig(config: GatewayConfig, configLocation: string): PreparedConfig {
  const baseDir = dirname(configLocation);
  const listenerTls = config.listeners.map((listener, index) =>
    listener.tls ? loadListenerTls(listener.tls, { baseDir, field: `listeners[${index}].tls` }) : null,
  );
  return { config, listenerTls };
}

export function reloadListenerTls(prepared: PreparedConfig, index: number, configLocation: string): LoadedListenerTls {
  const tls = prepared.config.listeners[index]?.tls;
  if (!tls) throw new Error(`listeners[${index}] has no certificate`);
  return loadListenerTls(tls, { baseDir: dirname(configLocation), field: `listeners[${index}].tls` });
}
