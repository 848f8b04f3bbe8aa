/**
 * A log that starts a new file every UTC day (`<prefix>_YYYYMMDD.log`), deletes files older than the
 * retention, and never makes a request wait for the disk: lines are buffered and appended in the
 * background about once a second. If the disk cannot keep up, lines are dropped and counted rather
 * than letting memory grow without bound. Files and the folder it creates are readable by their
 * owner only (0600/0700 on POSIX).
 */
import { appendFile, mkdir, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { OWNER_ONLY_DIRECTORY_MODE, OWNER_ONLY_FILE_MODE } from '../config/private-files.js';

export interface RotatingLogFileOptions {
  directory: string;
  prefix: string;
  retentionDays: number;
  /** Lines written at the top of each file this writer opens (e.g. W3C `#Fields`). */
  header?: (day: Date) => string[];
  /** Injected clock: decides which day's file a line goes to. */
  now?: () => Date;
  flushIntervalMs?: number;
  /** Pending bytes beyond which new lines are dropped until the disk catches up. */
  maxPendingBytes?: number;
  /** Told once per failure streak when the folder or file cannot be written. */
  onError?: (error: Error) => void;
}

const DAY_MS = 24 * 3600 * 1000;

function dayStamp(date: Date): string {
  return date.toISOString().slice(0, 10).replace(/-/g, '');
}

export class RotatingLogFile {
  private readonly options: Required<Omit<RotatingLogFileOptions, 'header' | 'onError'>> & Pick<RotatingLogFileOptions, 'header' | 'onError'>;
  private pending: { day: string; text: string }[] = [];
  private pendingBytes = 0;
  private dropped = 0;
  private readonly headedDays = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private lastPrunedDay = '';
  private failing = false;
  private closed = false;

  constructor(options: RotatingLogFileOptions) {
    this.options = { now: () => new Date(), flushIntervalMs: 1000, maxPendingBytes: 4 * 1024 * 1024, ...options };
  }

  write(line: string): void {
    if (this.closed) return;
    if (this.pendingBytes > this.options.maxPendingBytes) {
      this.dropped++;
      return;
    }
    const now = this.options.now();
    const day = dayStamp(now);
    if (!this.headedDays.has(day)) {
      this.headedDays.add(day);
      for (const headerLine of this.options.header?.(now) ?? []) this.enqueue(day, headerLine);
    }
    if (this.dropped > 0) {
      this.enqueue(day, `# ${this.dropped} lines were dropped because the disk could not keep up`);
      this.dropped = 0;
    }
    this.enqueue(day, line);
    this.timer ??= setTimeout(() => void this.flush(), this.options.flushIntervalMs);
  }

  /** Resolves once everything written so far is on disk (or has failed to get there). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    this.writing = this.writing.then(() => this.append(batch));
    return this.writing;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private enqueue(day: string, line: string): void {
    const text = `${line}\n`;
    this.pending.push({ day, text });
    this.pendingBytes += text.length;
  }

  private async append(batch: { day: string; text: string }[]): Promise<void> {
    if (batch.length === 0) return;
    const byDay = new Map<string, string>();
    for (const { day, text } of batch) byDay.set(day, (byDay.get(day) ?? '') + text);
    try {
      await mkdir(this.options.directory, { recursive: true, mode: OWNER_ONLY_DIRECTORY_MODE });
      for (const [day, text] of byDay) {
        await appendFile(join(this.options.directory, `${this.options.prefix}_${day}.log`), text, { encoding: 'utf8', mode: OWNER_ONLY_FILE_MODE });
      }
      this.failing = false;
      const today = dayStamp(this.options.now());
      if (today !== this.lastPrunedDay) {
        this.lastPrunedDay = today;
        await this.deleteExpired();
      }
    } catch (error) {
      if (!this.failing) this.options.onError?.(error as Error);
      this.failing = true;
    }
  }

  /** Files whose day is more than `retentionDays` before today go; today's file is always kept. */
  private async deleteExpired(): Promise<void> {
    const oldestKept = dayStamp(new Date(this.options.now().getTime() - this.options.retentionDays * DAY_MS));
    const pattern = new RegExp(`^${escapeRegExp(this.options.prefix)}_(\\d{8})\\.log$`);
    for (const name of await readdir(this.options.directory)) {
      const match = pattern.exec(name);
      if (match && match[1]! < oldestKept) await unlink(join(this.options.directory, name)).catch(() => undefined);
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
