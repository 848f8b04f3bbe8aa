/** Owner-only folders and files for secrets, and listing the files of a folder. */
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { filesIn, makePrivateDirectory, tightenFileModes } from '../../../proxy/config/private-files.js';

const posix = process.platform !== 'win32';
const folders: string[] = [];

function temporaryFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'switchboard-private-'));
  folders.push(folder);
  return folder;
}

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

const modeOf = (path: string): number => statSync(path).mode & 0o777;

describe.runIf(posix)('owner-only modes', () => {
  it('creates a missing folder, with its parents, readable by the owner only', () => {
    const path = join(temporaryFolder(), 'data', 'logs');
    makePrivateDirectory(path);
    expect(statSync(path).isDirectory()).toBe(true);
    // The process umask can only take bits away, never add group or other ones.
    expect(modeOf(path) & 0o077).toBe(0);
  });

  it('takes group and other permissions off the files that have any, and lists only those', () => {
    const folder = temporaryFolder();
    const open = join(folder, 'switchboard.json');
    const already = join(folder, 'cookie-secret');
    writeFileSync(open, '{}');
    chmodSync(open, 0o644);
    writeFileSync(already, 'x');
    chmodSync(already, 0o600);
    expect(tightenFileModes([open, already, join(folder, 'missing.json'), folder])).toEqual([open]);
    expect(modeOf(open)).toBe(0o600);
    expect(modeOf(already)).toBe(0o600);
  });
});

describe('filesIn', () => {
  it('lists the files whose names match, with their folder', () => {
    const folder = temporaryFolder();
    for (const name of ['access-2026-11-30.log', 'access-2026-11-29.log', 'events.log']) writeFileSync(join(folder, name), '');
    expect(filesIn(folder, /^access-/).sort()).toEqual([join(folder, 'access-2026-11-29.log'), join(folder, 'access-2026-11-30.log')]);
  });

  it('finds nothing in a folder that does not exist', () => {
    expect(filesIn(join(temporaryFolder(), 'nowhere'), /./)).toEqual([]);
  });
});
