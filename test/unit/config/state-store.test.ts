import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileStateStore } from '../../../proxy/config/state-store.js';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function store(): FileStateStore {
  const directory = mkdtempSync(join(tmpdir(), 'switchboard-state-'));
  directories.push(directory);
  return new FileStateStore(directory, 'switchboard');
}

describe('FileStateStore sessions', () => {
  it('writes each chunk out before asking for the next, so that one buffer can carry them all', async () => {
    const states = store();
    const shared = Buffer.alloc(4);
    function* chunks(): Generator<Uint8Array> {
      for (const text of ['abcd', 'efgh', 'ijkl']) {
        shared.write(text);
        yield shared;
      }
    }
    await states.saveSessions(chunks());
    expect(readFileSync(states.sessionsPath, 'utf8')).toBe('abcdefghijkl');
    expect(Buffer.from((await states.loadSessions())!).toString()).toBe('abcdefghijkl');
  });

  it('keeps the previous file whole when a save fails halfway', async () => {
    const states = store();
    await states.saveSessions(['switchboard-sessions 1\n', 'kept\n']);
    function* failing(): Generator<string> {
      yield 'switchboard-sessions 1\n';
      throw new Error('the table went away');
    }
    await expect(states.saveSessions(failing())).rejects.toThrow('the table went away');
    expect(readFileSync(states.sessionsPath, 'utf8')).toBe('switchboard-sessions 1\nkept\n');
    expect(readdirSync(join(states.sessionsPath, '..'))).not.toContain('switchboard.sessions.tmp');
  });
});
