/** RotatingLogFile on a real temporary folder: one file per UTC day, headers, retention, dropped lines, write failures. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RotatingLogFile } from '../../../proxy/logs/rotating-log-file.js';

let dir: string;
let clock: Date;
const now = (): Date => clock;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-rotating-'));
  clock = new Date('2026-11-27T23:59:59.500Z');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const read = (name: string): string => readFileSync(join(dir, name), 'utf8');

describe('RotatingLogFile', () => {
  it('writes each line to the file of its UTC day, with the header once at the top of each', async () => {
    const log = new RotatingLogFile({ directory: dir, prefix: 'app', retentionDays: 30, now, header: (day) => [`#Date ${day.toISOString()}`] });
    log.write('late on the 27th');
    clock = new Date('2026-11-28T00:00:00.100Z');
    log.write('early on the 28th');
    log.write('a bit later');
    await log.close();
    expect(readdirSync(dir).sort()).toEqual(['app_20261127.log', 'app_20261128.log']);
    expect(read('app_20261127.log')).toBe('#Date 2026-11-27T23:59:59.500Z\nlate on the 27th\n');
    expect(read('app_20261128.log')).toBe('#Date 2026-11-28T00:00:00.100Z\nearly on the 28th\na bit later\n');
  });

  it('deletes its own files older than the retention, keeping other files', async () => {
    for (const name of ['app_20261101.log', 'app_20261120.log', 'app_20261121.log', 'other_20200101.log', 'app_notes.txt']) writeFileSync(join(dir, name), 'old\n');
    const log = new RotatingLogFile({ directory: dir, prefix: 'app', retentionDays: 7, now });
    log.write('today');
    await log.close();
    expect(readdirSync(dir).sort()).toEqual(['app_20261120.log', 'app_20261121.log', 'app_20261127.log', 'app_notes.txt', 'other_20200101.log']);
  });

  it('drops lines while too much waits for the disk, and says how many when it writes again', async () => {
    const log = new RotatingLogFile({ directory: dir, prefix: 'app', retentionDays: 30, now, maxPendingBytes: 10 });
    log.write('0123456789');
    log.write('lost');
    log.write('lost as well');
    log.write('lost too');
    await log.flush();
    log.write('after');
    await log.close();
    expect(read('app_20261127.log')).toBe('0123456789\n# 3 lines were dropped because the disk could not keep up\nafter\n');
  });

  it('reports a folder it cannot write once per failure streak, and ignores lines after close', async () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, '');
    const errors: Error[] = [];
    const log = new RotatingLogFile({ directory: join(blocker, 'logs'), prefix: 'app', retentionDays: 30, now, onError: (error) => errors.push(error) });
    log.write('one');
    await log.flush();
    log.write('two');
    await log.close();
    log.write('three');
    await log.flush();
    expect(errors).toHaveLength(1);
  });
});
