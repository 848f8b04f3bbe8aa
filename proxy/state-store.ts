/**
 * What the gateway keeps besides its configuration: the per-installation secret that
 * authenticates session cookies, and the saved session table.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { readFile, rename, unlink } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';

export interface StateStore {
  /** The secret, created on first use and kept from then on. */
  loadSecret(): Buffer;
  /** The saved session table as written by `saveSessions`, or null when there is none. */
  loadSessions(): Promise<string | null>;
  /** Replaces the saved session table atomically; chunks are written as they come. */
  saveSessions(chunks: Iterable<string>): Promise<void>;
}

export class FileStateStore implements StateStore {
  readonly secretPath: string;
  readonly sessionsPath: string;

  constructor(directory: string, baseName: string) {
    mkdirSync(directory, { recursive: true });
    this.secretPath = join(directory, `${baseName}.secret`);
    this.sessionsPath = join(directory, `${baseName}.sessions`);
  }

  loadSecret(): Buffer {
    if (existsSync(this.secretPath)) {
      const secret = Buffer.from(readFileSync(this.secretPath, 'utf8').trim(), 'hex');
      if (secret.length >= 32) return secret;
    }
    const secret = randomBytes(32);
    const temporary = `${this.secretPath}.tmp`;
    writeFileSync(temporary, secret.toString('hex'), { mode: 0o600 });
    renameSync(temporary, this.secretPath);
    return secret;
  }

  async loadSessions(): Promise<string | null> {
    try {
      return await readFile(this.sessionsPath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async saveSessions(chunks: Iterable<string>): Promise<void> {
    const temporary = `${this.sessionsPath}.tmp`;
    const out = createWriteStream(temporary, { mode: 0o600 });
    try {
      for (const chunk of chunks) {
        if (!out.write(chunk)) await once(out, 'drain');
        // Let requests through between chunks of a large table.
        await new Promise((resolve) => setImmediate(resolve));
      }
      out.end();
      await once(out, 'finish');
      await rename(temporary, this.sessionsPath);
    } catch (error) {
      out.destroy();
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
  }
}
