/**
 * Files that hold secrets (the config with its admin token, the cookie secret, saved sessions,
 * logs) are readable by their owner only on POSIX: 0600 for files, 0700 for folders the gateway
 * creates. Windows ignores these modes; there the data folder's ACL does the job (set by the
 * installer, see docs/security.md).
 */
import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const OWNER_ONLY_FILE_MODE = 0o600;
export const OWNER_ONLY_DIRECTORY_MODE = 0o700;

const usesPosixModes = process.platform !== 'win32';

/** Creates the folder (and missing parents) as owner-only; an existing folder is left as it is. */
export function makePrivateDirectory(path: string): void {
  mkdirSync(path, { recursive: true, mode: OWNER_ONLY_DIRECTORY_MODE });
}

/**
 * Takes group and other permissions off each existing file that has any; returns the files it
 * changed, so that the caller can say so. Missing files and files it may not change are skipped.
 */
export function tightenFileModes(paths: Iterable<string>): string[] {
  if (!usesPosixModes) return [];
  const changed: string[] = [];
  for (const path of paths) {
    try {
      const stats = statSync(path);
      if (!stats.isFile() || (stats.mode & 0o077) === 0) continue;
      chmodSync(path, stats.mode & 0o700);
      changed.push(path);
    } catch {
      // Gone in the meantime or not ours: nothing to tighten here.
    }
  }
  return changed;
}

/** The files in `directory` whose names match `pattern`; none when the folder does not exist. */
export function filesIn(directory: string, pattern: RegExp): string[] {
  try {
    return readdirSync(directory)
      .filter((name) => pattern.test(name))
      .map((name) => join(directory, name));
  } catch {
    return [];
  }
}
