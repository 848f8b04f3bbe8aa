/** The desktop app's log file: lines in the gateway's event-log format, and no entry lost to odd fields. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFileLogger } from '../../electron/file-logger.js';

let directory: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'switchboard-file-logger-'));
  for (const method of ['log', 'warn', 'error'] as const) vi.spyOn(console, method).mockImplementation(() => {});
});

afterEach(() => {
  vi.restoreAllMocks();
  rmSync(directory, { recursive: true, force: true });
});

describe('file logger', () => {
  it('writes one event-log line per entry, fields as key=value', () => {
    const logger = createFileLogger(directory);
    logger.warn('tray action failed: Drain', { error: 'the gateway said no\nat all' });
    logger.info('gateway started');
    const lines = readFileSync(logger.path, 'utf8').split('\n');
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\S+Z WARN  tray action failed: Drain error="the gateway said no \| at all"$/);
    expect(lines[1]).toMatch(/^\S+Z INFO  gateway started$/);
    expect(lines).toHaveLength(3);
  });

  it('keeps the entry when its fields cannot be written', () => {
    const logger = createFileLogger(directory);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    logger.error('uncaught exception', { detail: cycle });
    expect(readFileSync(logger.path, 'utf8')).toMatch(/^\S+Z ERROR uncaught exception fields=\[unserializable\]\n$/);
  });
});
