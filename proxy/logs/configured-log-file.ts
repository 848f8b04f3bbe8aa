/**
 * A daily log file that follows its settings: opened when enabled, replaced when its folder or
 * retention changes (the old file flushed first), closed when disabled, left alone otherwise.
 * The access log and the event log each own one.
 */
import type { RotatingLogFile } from './rotating-log-file.js';

export interface LogFileSettings {
  enabled: boolean;
  directory: string;
  retentionDays: number;
}

export class ConfiguredLogFile {
  private file: RotatingLogFile | null = null;
  private settings: LogFileSettings | null = null;

  constructor(private readonly open: (settings: LogFileSettings) => RotatingLogFile) {}

  get enabled(): boolean {
    return this.file !== null;
  }

  /** Applies new settings (at start and on every config change). */
  async configure(settings: LogFileSettings): Promise<void> {
    const previous = this.settings;
    this.settings = { ...settings };
    const unchanged =
      previous && previous.enabled === settings.enabled && previous.directory === settings.directory && previous.retentionDays === settings.retentionDays;
    if (unchanged) return;
    const old = this.file;
    this.file = settings.enabled ? this.open(settings) : null;
    await old?.close();
  }

  write(line: string): void {
    this.file?.write(line);
  }

  flush(): Promise<void> {
    return this.file?.flush() ?? Promise.resolve();
  }

  async close(): Promise<void> {
    await this.file?.close();
    this.file = null;
    this.settings = null;
  }
}
