/**
 * Where the configuration lives. Headless mode keeps it in a JSON file through `conf` (atomic
 * writes); the desktop app satisfies the same interface with electron-store, which is built on
 * `conf`, so both read and write the same file format.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import Conf from 'conf';
import type { GatewayConfig } from './config-schema.js';
import { ConfigError, defaultConfig, validateConfig } from './config-validation.js';

export interface ConfigStore {
  /** Where the document lives, for messages. */
  readonly location: string;
  /** The raw stored document, or undefined when none exists yet. */
  read(): unknown;
  /** Replaces the stored document atomically. */
  write(config: GatewayConfig): void;
}

export class FileConfigStore implements ConfigStore {
  readonly location: string;

  constructor(filePath: string) {
    this.location = resolve(filePath);
  }

  read(): unknown {
    if (!existsSync(this.location)) return undefined;
    const text = readFileSync(this.location, 'utf8');
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new ConfigError([{ path: '', message: `${this.location} is not valid JSON: ${(error as Error).message}` }]);
    }
  }

  write(config: GatewayConfig): void {
    // conf writes to a temporary file and renames it over the old one.
    const extension = extname(this.location);
    const store = new Conf<GatewayConfig>({
      cwd: dirname(this.location),
      configName: basename(this.location, extension),
      fileExtension: extension.replace(/^\./, ''),
      projectName: 'switchboard',
      watch: false,
    });
    store.store = config;
  }
}

/** Reads and validates the stored config; a missing one is created with defaults. Invalid → ConfigError, nothing written. */
export function loadOrCreateConfig(store: ConfigStore): GatewayConfig {
  const raw = store.read();
  if (raw === undefined) {
    const config = defaultConfig();
    store.write(config);
    return config;
  }
  return validateConfig(raw);
}
