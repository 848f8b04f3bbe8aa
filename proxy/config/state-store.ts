/**
 * What the gateway keeps besides its configuration: the per-installation secret that
 * authenticates session cookies, and the saved session table. Both are written readable by their
 * owner only (0600 on POSIX).
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { readFile, rename, rm, unlink } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { OWNER_ONLY_FILE_MODE, makePrivateDirectory } from './private-files.js';

export interface StateStore {
  /** The secret, created on first use and kept from then on. */
  loadSecret(): Buffer;
  /** The saved session table as written by `saveSessions` (its bytes), or null when there is none. */
  loadSessions(): Promise<Uint8Array | null>;
  /**
   * Replaces the saved session table atomically (a temporary file, renamed over the old one once
   * complete). Each chunk is written out before the next one is asked for, so a chunk's bytes may
   * be reused for the next.
   */
  saveSessions(chunks: Iterable<string | Uint8Array>): Promise<void>;
  /** The files this store writes, so that their permissions can be checked at start-up. */
  privateFiles?(): string[];
}

export class FileStateStore implements StateStore {
  readonly secretPath: string;
  readonly sessionsPath: string;

  constructor(directory: string, baseName: string) {
    makePrivateDirectory(directory);
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
    // A leftover temporary file would keep its old mode: start from a new one.
    rmSync(temporary, { force: true });
    writeFileSync(temporary, secret.toString('hex'), { mode: OWNER_ONLY_FILE_MODE });
    renameSync(temporary, this.secretPath);
    return secret;
  }

  privateFiles(): string[] {
    return [this.secretPath, this.sessionsPath];
  }

  async loadSessions(): Promise<Uint8Array | null> {
    try {
      return await readFile(this.sessionsPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async saveSessions(chunks: Iterable<string | Uint8Array>): Promise<void> {
    const temporary = `${this.sessionsPath}.tmp`;
    await rm(temporary, { force: true });
    const out = createWriteStream(temporary, { mode: OWNER_ONLY_FILE_MODE });
    try {
      // The stream's error also reaches the write callback below; without a listener it would crash the process.
      out.on('error', () => {});
      for (const chunk of chunks) {
        // Each chunk is on disk before the next is built: requests get their turns meanwhile, and
        // the table may build the next chunk in the same buffer (see SessionTable.serialize).
        await new Promise<void>((resolve, reject) => out.write(chunk, (error) => (error ? reject(error) : resolve())));
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
