/**
 * One line per request in the W3C extended log format that IIS writes, so Windows admins can read
 * it with the tools they already use (Log Parser, Excel, a text editor). Times are UTC,
 * `time-taken` is in milliseconds as in IIS, spaces inside a value are written as `+`, and a
 * missing value is `-`. Off unless `logs.accessLog.enabled`; can be switched while running.
 */
import type http from 'node:http';
import type { GatewayLogger } from './gateway-logger.js';
import { ConfiguredLogFile, type LogFileSettings } from './configured-log-file.js';
import { RotatingLogFile } from './rotating-log-file.js';

export const ACCESS_LOG_FIELDS = [
  'date',
  'time',
  'c-ip',
  'cs-method',
  'cs-uri-stem',
  'cs-uri-query',
  'sc-status',
  'sc-bytes',
  'time-taken',
  'cs(User-Agent)',
  'cs(Referer)',
  'x-cluster',
  'x-server',
  'x-session',
] as const;

export const ACCESS_LOG_PREFIX = 'switchboard';

export interface AccessLogEntry {
  /** When the response finished. */
  at: Date;
  clientIp: string;
  method: string;
  /** The request target as received, path and query together. */
  url: string;
  status: number;
  bytesSent: number | null;
  durationMs: number;
  userAgent: string | undefined;
  referer: string | undefined;
  cluster: string | null;
  server: string | null;
  /** The session as shown (`shownSessionId`): a cookie session's id is never written whole. */
  sessionId: string | null;
}

export type AccessLogSettings = LogFileSettings;

export class AccessLog {
  private readonly file: ConfiguredLogFile;
  readonly now: () => Date;

  constructor(options: { now?: () => Date; logger?: GatewayLogger; flushIntervalMs?: number } = {}) {
    const now = options.now ?? (() => new Date());
    this.now = now;
    this.file = new ConfiguredLogFile(
      (settings) =>
        new RotatingLogFile({
          directory: settings.directory,
          prefix: ACCESS_LOG_PREFIX,
          retentionDays: settings.retentionDays,
          now,
          header: (day) => ['#Software: Switchboard', '#Version: 1.0', `#Date: ${w3cDate(day)} ${w3cTime(day)}`, `#Fields: ${ACCESS_LOG_FIELDS.join(' ')}`],
          onError: (error) => options.logger?.warn('access log cannot be written', { directory: settings.directory, reason: error.message }),
          ...(options.flushIntervalMs !== undefined ? { flushIntervalMs: options.flushIntervalMs } : {}),
        }),
    );
  }

  get enabled(): boolean {
    return this.file.enabled;
  }

  /** Applies new settings (at start and on every config change); flushes the old file first. */
  configure(settings: AccessLogSettings): Promise<void> {
    return this.file.configure(settings);
  }

  log(entry: AccessLogEntry): void {
    this.file.write(formatAccessLogLine(entry));
  }

  flush(): Promise<void> {
    return this.file.flush();
  }

  close(): Promise<void> {
    return this.file.close();
  }
}

export function formatAccessLogLine(entry: AccessLogEntry): string {
  const queryStart = entry.url.indexOf('?');
  const stem = queryStart < 0 ? entry.url : entry.url.slice(0, queryStart);
  const query = queryStart < 0 ? '' : entry.url.slice(queryStart + 1);
  return [
    w3cDate(entry.at),
    w3cTime(entry.at),
    entry.clientIp,
    entry.method,
    stem,
    query,
    String(entry.status),
    entry.bytesSent === null ? '' : String(entry.bytesSent),
    String(Math.round(entry.durationMs)),
    entry.userAgent,
    entry.referer,
    entry.cluster,
    entry.server,
    entry.sessionId ?? '',
  ]
    .map(field)
    .join(' ');
}

/** Splits a line back into named fields: for tests and for tools reading the log. */
export function parseAccessLogLine(line: string): Record<(typeof ACCESS_LOG_FIELDS)[number], string> | null {
  if (line.startsWith('#') || !line.trim()) return null;
  const values = line.split(' ');
  if (values.length !== ACCESS_LOG_FIELDS.length) return null;
  return Object.fromEntries(ACCESS_LOG_FIELDS.map((name, i) => [name, values[i]!])) as Record<(typeof ACCESS_LOG_FIELDS)[number], string>;
}

export interface RequestDetails {
  clientIp: string;
  cluster: string | null;
  server: string | null;
  sessionId: string | null;
}

/**
 * Logs the request when its response has finished or the client went away. `details` is read at
 * that moment, so the gateway may fill in cluster, server and session as it learns them.
 */
export function logWhenFinished(accessLog: AccessLog, req: http.IncomingMessage, res: http.ServerResponse, details: () => RequestDetails): void {
  if (!accessLog.enabled) return;
  const startedAt = process.hrtime.bigint();
  // The address the client asked for, before a route's path mapping changes it for the backend.
  const url = req.url ?? '';
  const socket = req.socket as (typeof req.socket & { bytesWritten?: number }) | undefined;
  // Bytes written on the connection during this request: headers and body, like IIS's sc-bytes.
  // HTTP/1.1 runs one request at a time per connection, so the difference belongs to this one.
  const bytesBefore = req.httpVersionMajor === 1 ? socket?.bytesWritten : undefined;
  let logged = false;
  const write = (): void => {
    if (logged) return;
    logged = true;
    const current = details();
    const bytesAfter = bytesBefore !== undefined ? socket?.bytesWritten : undefined;
    accessLog.log({
      at: accessLog.now(),
      clientIp: current.clientIp,
      method: req.method ?? '',
      url,
      status: res.headersSent ? res.statusCode : 0,
      bytesSent: bytesBefore !== undefined && bytesAfter !== undefined ? bytesAfter - bytesBefore : null,
      durationMs: Number(process.hrtime.bigint() - startedAt) / 1e6,
      userAgent: req.headers['user-agent'],
      referer: req.headers.referer,
      cluster: current.cluster,
      server: current.server,
      sessionId: current.sessionId,
    });
  };
  res.once('finish', write);
  res.once('close', write);
}

function field(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '-';
  return value.replace(/[\s\u0000-\u001f\u007f]/g, '+');
}

function w3cDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function w3cTime(date: Date): string {
  return date.toISOString().slice(11, 19);
}
