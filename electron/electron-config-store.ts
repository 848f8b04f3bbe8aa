/**
 * The desktop app's ConfigStore: the same JSON document as headless mode, kept by electron-store
 * in the user-data folder. A desktop app cannot stop with a console message, so a settings file
 * that cannot be read or fails validation is moved aside as a timestamped backup and the app
 * starts from the last good copy, or from defaults when there is none; the caller is told so it
 * can tell the user.
 */
import { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { app } from 'electron';
import ElectronStore from 'electron-store';
import type { GatewayConfig } from '../proxy/config/config-schema.js';
import { decodeConfigBytes, parseConfigText } from '../proxy/config/config-file-text.js';
import type { ConfigStore } from '../proxy/config/config-store.js';
import { ConfigError, validateConfig } from '../proxy/config/config-validation.js';
import { messageOf } from './error-message.js';

export interface ConfigRecovery {
  /** Where the unreadable file was moved. */
  backupPath: string;
  /** What was wrong with it. */
  reason: string;
  /** What the app started with instead. */
  startedWith: 'last-good' | 'defaults';
}

export interface ElectronConfigStoreOptions {
  /** The folder of the settings file; Electron's user-data folder when omitted. */
  directory?: string;
  /** File name without `.json`. */
  name?: string;
  onRecovered?(recovery: ConfigRecovery): void;
}

export class ElectronConfigStore implements ConfigStore {
  readonly location: string;
  readonly lastGoodPath: string;
  readonly #directory: string;
  readonly #name: string;
  readonly #onRecovered: ((recovery: ConfigRecovery) => void) | undefined;
  #store: ElectronStore<Record<string, unknown>> | undefined;

  constructor(options: ElectronConfigStoreOptions = {}) {
    this.#directory = options.directory ?? app.getPath('userData');
    this.#name = options.name ?? 'switchboard';
    this.#onRecovered = options.onRecovered;
    this.location = join(this.#directory, `${this.#name}.json`);
    this.lastGoodPath = join(this.#directory, `${this.#name}.last-good.json`);
  }

  read(): unknown {
    if (!existsSync(this.location)) return undefined;
    let raw: unknown;
    try {
      raw = parseConfigText(decodeConfigBytes(readFileSync(this.location)), this.location);
      validateConfig(raw);
    } catch (error) {
      return this.#recover(reasonOf(error));
    }
    this.#keepLastGood();
    return raw;
  }

  write(config: GatewayConfig): void {
    this.#openStore().store = config;
    this.#keepLastGood();
  }

  #openStore(): ElectronStore<Record<string, unknown>> {
    const open = (): ElectronStore<Record<string, unknown>> =>
      new ElectronStore<Record<string, unknown>>({
        name: this.#name,
        cwd: this.#directory,
        clearInvalidConfig: false,
        // Keys of the config are plain names; dots in them must never be read as paths.
        accessPropertiesByDotNotation: false,
        watch: false,
        configFileMode: 0o600,
        deserialize: (text) => parseConfigText(text, this.location) as Record<string, unknown>,
      });
    if (this.#store === undefined) {
      try {
        this.#store = open();
      } catch (error) {
        // electron-store refuses to open over a file that is not JSON: move that aside first.
        this.#recover(reasonOf(error));
        this.#store = open();
      }
    }
    return this.#store;
  }

  #recover(reason: string): unknown {
    const backupPath = join(this.#directory, `${this.#name}.corrupt-${fileTimestamp(new Date())}.json`);
    renameSync(this.location, backupPath);
    const lastGood = this.#readLastGood();
    if (lastGood !== undefined) writeAtomically(this.location, `${JSON.stringify(lastGood, null, '\t')}\n`);
    this.#onRecovered?.({ backupPath, reason, startedWith: lastGood === undefined ? 'defaults' : 'last-good' });
    return lastGood;
  }

  #readLastGood(): unknown {
    try {
      const raw = parseConfigText(decodeConfigBytes(readFileSync(this.lastGoodPath)), this.lastGoodPath);
      validateConfig(raw);
      return raw;
    } catch {
      return undefined;
    }
  }

  #keepLastGood(): void {
    const temporary = `${this.lastGoodPath}.tmp`;
    copyFileSync(this.location, temporary);
    renameSync(temporary, this.lastGoodPath);
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof ConfigError) return error.message;
  if (error instanceof SyntaxError) return `not valid JSON (${error.message})`;
  return messageOf(error);
}

/** An ISO time usable in a Windows file name. */
function fileTimestamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}
