import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCESS_LOG_FIELDS, AccessLog, formatAccessLogLine, logWhenFinished, parseAccessLogLine, type AccessLogEntry } from '../../../proxy/logs/access-log.js';
import type { GatewayLogger } from '../../../proxy/logs/gateway-logger.js';
import { closeServer, listenOnLoopback } from '../../support/loopback-server.js';

let dir: string;
let clock: Date;
const now = (): Date => clock;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-accesslog-'));
  clock = new Date('2026-11-27T23:59:58.000Z');
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

function entry(overrides: Partial<AccessLogEntry> = {}): AccessLogEntry {
  return {
    at: clock,
    clientIp: '10.1.2.3',
    method: 'GET',
    url: '/app/page.aspx?id=7&x=a b',
    status: 200,
    bytesSent: 5120,
    durationMs: 12.6,
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
    referer: undefined,
    cluster: 'web',
    server: 'v1',
    sessionId: 'AbCdEfGh',
    ...overrides,
  };
}

function lines(file: string): string[] {
  return readFileSync(join(dir, file), 'utf8').trimEnd().split('\n');
}

describe('access log line', () => {
  it('is one W3C extended line with UTC date and time, + for spaces and - for missing values', () => {
    const line = formatAccessLogLine(entry());
    expect(line).toBe('2026-11-27 23:59:58 10.1.2.3 GET /app/page.aspx id=7&x=a+b 200 5120 13 Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64) - web v1 AbCdEfGh');
    expect(parseAccessLogLine(line)).toMatchObject({ 'c-ip': '10.1.2.3', 'cs-uri-stem': '/app/page.aspx', 'sc-status': '200', 'x-session': 'AbCdEfGh', 'cs(Referer)': '-' });
  });

  it('keeps control characters out, so a client cannot forge a line', () => {
    const line = formatAccessLogLine(entry({ userAgent: 'evil\n2026-01-01 00:00:00 1.1.1.1 GET / - 200', url: '/' }));
    expect(line.split('\n')).toHaveLength(1);
    expect(parseAccessLogLine(line)!['cs(User-Agent)']).toBe('evil+2026-01-01+00:00:00+1.1.1.1+GET+/+-+200');
    expect(parseAccessLogLine(line)!['cs-uri-query']).toBe('-');
  });

  it('writes - for an unknown byte count, cluster, server and session', () => {
    const parsed = parseAccessLogLine(formatAccessLogLine(entry({ bytesSent: null, cluster: null, server: null, sessionId: null })))!;
    expect([parsed['sc-bytes'], parsed['x-cluster'], parsed['x-server'], parsed['x-session']]).toEqual(['-', '-', '-', '-']);
  });
});

describe('AccessLog', () => {
  it('writes nothing until enabled', async () => {
    const log = new AccessLog({ now });
    log.log(entry());
    await log.configure({ enabled: false, directory: dir, retentionDays: 30 });
    log.log(entry());
    await log.flush();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('writes the W3C header and the lines to switchboard_YYYYMMDD.log', async () => {
    const log = new AccessLog({ now });
    await log.configure({ enabled: true, directory: dir, retentionDays: 30 });
    log.log(entry());
    log.log(entry({ status: 404, url: '/missing' }));
    await log.flush();
    const content = lines('switchboard_20261127.log');
    expect(content.slice(0, 4)).toEqual(['#Software: Switchboard', '#Version: 1.0', '#Date: 2026-11-27 23:59:58', `#Fields: ${ACCESS_LOG_FIELDS.join(' ')}`]);
    expect(content.slice(4).map((line) => parseAccessLogLine(line)!['sc-status'])).toEqual(['200', '404']);
    await log.close();
  });

  it('starts a new file at UTC midnight, with its own header', async () => {
    const log = new AccessLog({ now });
    await log.configure({ enabled: true, directory: dir, retentionDays: 30 });
    log.log(entry());
    clock = new Date('2026-11-28T00:00:01.000Z');
    log.log(entry({ at: clock, url: '/tomorrow' }));
    await log.flush();
    expect(readdirSync(dir).sort()).toEqual(['switchboard_20261127.log', 'switchboard_20261128.log']);
    expect(lines('switchboard_20261128.log')[0]).toBe('#Software: Switchboard');
    expect(parseAccessLogLine(lines('switchboard_20261128.log').at(-1)!)!).toMatchObject({ date: '2026-11-28', 'cs-uri-stem': '/tomorrow' });
    expect(lines('switchboard_20261127.log').filter((line) => !line.startsWith('#'))).toHaveLength(1);
    await log.close();
  });

  it('deletes its own files older than the retention and nothing else', async () => {
    for (const name of ['switchboard_20261001.log', 'switchboard_20261027.log', 'switchboard_20261028.log', 'switchboard-events_20260101.log', 'notes.txt']) {
      writeFileSync(join(dir, name), 'old\n');
    }
    const log = new AccessLog({ now });
    await log.configure({ enabled: true, directory: dir, retentionDays: 30 });
    log.log(entry());
    await log.flush();
    expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'switchboard-events_20260101.log', 'switchboard_20261028.log', 'switchboard_20261127.log']);
    await log.close();
  });

  it('can be switched off and on while running', async () => {
    const log = new AccessLog({ now });
    await log.configure({ enabled: true, directory: dir, retentionDays: 30 });
    log.log(entry({ url: '/one' }));
    await log.configure({ enabled: false, directory: dir, retentionDays: 30 });
    expect(log.enabled).toBe(false);
    log.log(entry({ url: '/two' }));
    await log.configure({ enabled: true, directory: dir, retentionDays: 30 });
    log.log(entry({ url: '/three' }));
    await log.flush();
    const stems = lines('switchboard_20261127.log')
      .map((line) => parseAccessLogLine(line)?.['cs-uri-stem'])
      .filter(Boolean);
    expect(stems).toEqual(['/one', '/three']);
    await log.close();
  });

  it('says once that it cannot write, and keeps running', async () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const warnings: string[] = [];
    const logger: GatewayLogger = { info() {}, warn: (m) => warnings.push(m), error() {} };
    const log = new AccessLog({ now, logger });
    await log.configure({ enabled: true, directory: join(blocker, 'logs'), retentionDays: 30 });
    log.log(entry());
    await log.flush();
    log.log(entry());
    await log.flush();
    expect(warnings).toEqual(['access log cannot be written']);
    await log.close();
  });
});

describe('logWhenFinished', () => {
  it('logs a real request with status, bytes on the wire and the details known at the end', async () => {
    const log = new AccessLog({ now });
    await log.configure({ enabled: true, directory: dir, retentionDays: 30 });
    const server = http.createServer((req, res) => {
      const details = { clientIp: req.socket.remoteAddress ?? '', cluster: null as string | null, server: null as string | null, sessionId: null as string | null };
      logWhenFinished(log, req, res, () => details);
      details.cluster = 'web';
      details.server = 'v2';
      details.sessionId = '01234567';
      res.writeHead(201, { 'content-type': 'text/plain' });
      res.end('created!');
    });
    await listenOnLoopback(server);
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: '/items?new=1', headers: { 'user-agent': 'test agent', referer: 'http://intranet/' }, agent: false }, (res) => {
          res.resume();
          res.on('end', resolve);
        })
        .on('error', reject);
    });
    await closeServer(server);
    await log.flush();
    const parsed = parseAccessLogLine(lines('switchboard_20261127.log').at(-1)!)!;
    expect(parsed).toMatchObject({
      'c-ip': '127.0.0.1',
      'cs-method': 'GET',
      'cs-uri-stem': '/items',
      'cs-uri-query': 'new=1',
      'sc-status': '201',
      'cs(User-Agent)': 'test+agent',
      'cs(Referer)': 'http://intranet/',
      'x-cluster': 'web',
      'x-server': 'v2',
      'x-session': '01234567',
    });
    // Status line, headers and the 8-byte body went over the wire.
    expect(Number(parsed['sc-bytes'])).toBeGreaterThan(8 + 'HTTP/1.1 201 Created\r\n'.length);
    expect(Number(parsed['time-taken'])).toBeGreaterThanOrEqual(0);
    expect(existsSync(join(dir, 'switchboard_20261127.log'))).toBe(true);
    await log.close();
  });
});
