/**
 * The gateway's own diary: the gateway starting and stopping, servers going offline and online, drains finishing, config changes and
 * who made them (tray, dashboard, API). One plain line per event with an ISO timestamp, in a file
 * per UTC day (`switchboard-events_YYYYMMDD.log`), readable in Notepad without any tool:
 *
 *   2026-11-27T15:04:05.123Z WARN  App 1.0 is offline cluster=web server=v1 reason="connect ECONNREFUSED"
 */
import type { ControlApi, GatewayEvent } from '../control/control-api.js';
import type { GatewayLogger } from './gateway-logger.js';
import { ConfiguredLogFile, type LogFileSettings } from './configured-log-file.js';
import { RotatingLogFile } from './rotating-log-file.js';

export const EVENT_LOG_PREFIX = 'switchboard-events';

type Level = 'info' | 'warn' | 'error';

export type EventLogSettings = LogFileSettings;

export interface EventLogOptions {
  now?: () => Date;
  /** Also print every line on the console (headless mode, development). */
  echoToConsole?: boolean;
  flushIntervalMs?: number;
}

export class EventLog implements GatewayLogger {
  private readonly file: ConfiguredLogFile;
  private readonly now: () => Date;
  private readonly echoToConsole: boolean;

  constructor(options: EventLogOptions = {}) {
    const now = options.now ?? (() => new Date());
    this.now = now;
    this.echoToConsole = options.echoToConsole ?? false;
    this.file = new ConfiguredLogFile(
      (settings) =>
        new RotatingLogFile({
          directory: settings.directory,
          prefix: EVENT_LOG_PREFIX,
          retentionDays: settings.retentionDays,
          now,
          // A log that cannot be written has nowhere else to complain but the console.
          onError: (error) => console.error(`Switchboard event log cannot be written in ${settings.directory}: ${error.message}`),
          ...(options.flushIntervalMs !== undefined ? { flushIntervalMs: options.flushIntervalMs } : {}),
        }),
    );
  }

  /** Applies new settings (at start and on every config change); flushes the old file first. */
  configure(settings: EventLogSettings): Promise<void> {
    return this.file.configure(settings);
  }

  info(message: string, fields?: Record<string, unknown>): void {
    this.write('info', message, fields);
  }

  warn(message: string, fields?: Record<string, unknown>): void {
    this.write('warn', message, fields);
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.write('error', message, fields);
  }

  flush(): Promise<void> {
    return this.file.flush();
  }

  close(): Promise<void> {
    return this.file.close();
  }

  private write(level: Level, message: string, fields?: Record<string, unknown>): void {
    const line = formatEventLine(this.now(), level, message, fields);
    this.file.write(line);
    if (this.echoToConsole) (level === 'info' ? console.log : level === 'warn' ? console.warn : console.error)(line);
  }
}

export function formatEventLine(at: Date, level: Level, message: string, fields?: Record<string, unknown>): string {
  const details = Object.entries(fields ?? {})
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${formatValue(value)}`);
  return [at.toISOString(), level.toUpperCase().padEnd(5), oneLine(message), ...details].join(' ');
}

/** Writes every gateway event worth remembering into `logger`; returns the unsubscribe function. */
export function logGatewayEvents(control: Pick<ControlApi, 'subscribe'>, logger: GatewayLogger): () => void {
  return control.subscribe((event) => {
    const entry = describeGatewayEvent(event);
    if (entry) logger[entry.level](entry.message, entry.fields);
  });
}

/** The log line of an event; null for the once-a-second stats ticks, which are no news. */
export function describeGatewayEvent(event: GatewayEvent): { level: Level; message: string; fields: Record<string, unknown> } | null {
  switch (event.type) {
    case 'drained':
      return {
        level: 'info',
        message: `${event.serverName} is drained: no sessions left, safe to stop`,
        fields: { cluster: event.clusterId, server: event.serverId },
      };
    case 'offline':
      return { level: 'warn', message: `${event.serverName} is offline`, fields: { cluster: event.clusterId, server: event.serverId, reason: event.reason } };
    case 'online':
      return { level: 'info', message: `${event.serverName} is online`, fields: { cluster: event.clusterId, server: event.serverId } };
    case 'state':
      // No `from` is a server's first state: as the gateway starts, or as the server is added.
      return event.from === null
        ? { level: 'info', message: `${event.serverName} starts as ${event.to}`, fields: { cluster: event.clusterId, server: event.serverId } }
        : {
            level: 'info',
            message: `${event.serverName} is now ${event.to}`,
            fields: { cluster: event.clusterId, server: event.serverId, from: event.from },
          };
    case 'config':
      return { level: 'info', message: `configuration changed: ${event.summary}`, fields: { source: event.source } };
    case 'stats':
      return null;
  }
}

function formatValue(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Error) return quoteIfNeeded(value.message);
  if (typeof value === 'string') return quoteIfNeeded(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return quoteIfNeeded(JSON.stringify(value) ?? String(value));
}

function quoteIfNeeded(text: string): string {
  const single = oneLine(text);
  return single === '' || /[\s"=]/.test(single) ? JSON.stringify(single) : single;
}

/** One event, one line: a message with line breaks would look like several events. */
function oneLine(text: string): string {
  return text.replace(/\r?\n/g, ' | ');
}
