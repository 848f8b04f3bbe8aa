/**
 * The desktop app's log: one line per entry in `<user data>/logs/switchboard.log` (the previous
 * run's log is kept as `.old` once it grows past a few megabytes), echoed to the console. Lines
 * read like the gateway's event log (`formatEventLine`).
 */
import { appendFileSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatEventLine } from '../proxy/logs/event-log.js';
import type { GatewayLogger } from '../proxy/logs/gateway-logger.js';

const ROTATE_AT_BYTES = 5 * 1024 * 1024;

export interface FileLogger extends GatewayLogger {
  readonly path: string;
}

export function createFileLogger(directory: string): FileLogger {
  mkdirSync(directory, { recursive: true });
  const path = join(directory, 'switchboard.log');
  if (existsSync(path) && statSync(path).size > ROTATE_AT_BYTES) renameSync(path, `${path}.old`);
  const write = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void => {
    const line = lineOf(level, message, fields);
    (level === 'info' ? console.log : level === 'warn' ? console.warn : console.error)(line);
    try {
      appendFileSync(path, `${line}\n`);
    } catch {
      // A full disk or a locked file must not take the app down; the console still has the line.
    }
  };
  return {
    path,
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}

/** Fields that cannot be written (a cycle, a BigInt) must not cost the line itself. */
function lineOf(level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): string {
  try {
    return formatEventLine(new Date(), level, message, fields);
  } catch {
    return formatEventLine(new Date(), level, message, { fields: '[unserializable]' });
  }
}
