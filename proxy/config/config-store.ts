/**
 * Where the configuration lives. Headless mode keeps it in a JSON file through `conf` (atomic
 * writes); the desktop app satisfies the same interface with electron-store, which is built on
 * `conf`, so both read and write the same file format. The file holds the admin token, so it is
 * written readable by its owner only (0600 on POSIX).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import Conf from 'conf';
import { decodeConfigBytes, parseConfigText } from './config-file-text.js';
import type { GatewayConfig } from './config-schema.js';
import { defaultConfig, generateAdminToken, isRecord, validateConfig } from './config-validation.js';
import { OWNER_ONLY_FILE_MODE, makePrivateDirectory } from './private-files.js';

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
    return parseConfigText(decodeConfigBytes(readFileSync(this.location)), this.location);
  }

  write(config: GatewayConfig): void {
    makePrivateDirectory(dirname(this.location));
    // conf writes to a temporary file created with this mode and renames it over the old one, so
    // every write (not only the first) leaves the file readable by its owner only.
    const extension = extname(this.location);
    const store = new Conf<GatewayConfig>({
      cwd: dirname(this.location),
      configName: basename(this.location, extension),
      fileExtension: extension.replace(/^\./, ''),
      projectName: 'switchboard',
      watch: false,
      configFileMode: OWNER_ONLY_FILE_MODE,
      // conf reads the old file when it opens; the document is replaced whole, so whatever the old
      // text was (a byte order mark, UTF-16) must not stop the write.
      deserialize: (text) => {
        try {
          return parseConfigText(text, this.location) as GatewayConfig;
        } catch {
          return {} as GatewayConfig;
        }
      },
    });
    store.store = config;
  }
}

export interface LoadedConfig {
  config: GatewayConfig;
  /** The file did not exist and was created with defaults. */
  created: boolean;
  /** The file had no admin token: a new one was generated and saved. */
  generatedToken: boolean;
}

/**
 * Reads and validates the stored config. A missing one is created with defaults; one without an
 * admin token gets a fresh token, saved. Invalid → ConfigError, nothing written.
 */
export function loadConfig(store: ConfigStore): LoadedConfig {
  const raw = store.read();
  if (raw === undefined) {
    const config = defaultConfig();
    store.write(config);
    return { config, created: true, generatedToken: true };
  }
  if (lacksAdminToken(raw)) {
    const admin = isRecord(raw.admin) ? raw.admin : {};
    const config = validateConfig({ ...raw, admin: { ...admin, token: generateAdminToken() } });
    store.write(config);
    return { config, created: false, generatedToken: true };
  }
  return { config: validateConfig(raw), created: false, generatedToken: false };
}

/** Reads and validates the stored config (see `loadConfig`). */
export function loadOrCreateConfig(store: ConfigStore): GatewayConfig {
  return loadConfig(store).config;
}

function lacksAdminToken(raw: unknown): raw is Record<string, unknown> {
  if (!isRecord(raw)) return false;
  if (raw.admin === undefined) return true;
  return isRecord(raw.admin) && (raw.admin.token === undefined || raw.admin.token === '');
}
