/**
 * Keeps the session table on disk: restored as the gateway starts, saved every few seconds when it
 * changed and once more as the gateway stops, so that a restart logs nobody out. One save at a time.
 */
import type { StateStore } from '../config/state-store.js';
import type { GatewayLogger } from '../logs/gateway-logger.js';
import type { SessionTable } from './session-table.js';

const SAVE_INTERVAL_MS = 5000;

export class SessionPersistence {
  private timer: NodeJS.Timeout | null = null;
  private saving: Promise<void> | null = null;

  constructor(
    private readonly table: SessionTable,
    private readonly store: Pick<StateStore, 'loadSessions' | 'saveSessions'>,
    private readonly logger: GatewayLogger,
  ) {}

  /** Loads the saved sessions of servers that still exist; a file that cannot be read is reported, never fatal. */
  async restore(serverExists: (clusterId: string, serverId: string) => boolean): Promise<void> {
    try {
      const saved = await this.store.loadSessions();
      if (saved === null) return;
      const restored = this.table.restore(saved, Date.now(), serverExists);
      this.table.dirty = false;
      if (restored > 0) this.logger.info(`Restored ${restored} live session${restored === 1 ? '' : 's'}`);
    } catch (error) {
      this.logger.warn(`Saved sessions could not be read and were not restored: ${(error as Error).message}`);
    }
  }

  /** Saves every `intervalMs` from now on, when anything changed. */
  startSaving(intervalMs = SAVE_INTERVAL_MS): void {
    this.timer = setInterval(() => void this.save(false), intervalMs);
    this.timer.unref();
  }

  /** No more periodic saves (the last one, as the gateway stops, is `save(true)`). */
  stopSaving(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Writes the table when it changed (or always, when `final`); a failed save is reported and tried again later. */
  async save(final: boolean): Promise<void> {
    if (this.saving) await this.saving;
    if (!final && !this.table.dirty) return;
    this.table.dirty = false;
    this.saving = this.store
      .saveSessions(this.table.serialize())
      .catch((error: Error) => {
        this.table.dirty = true;
        this.logger.error(`Sessions could not be saved: ${error.message}`);
      })
      .finally(() => {
        this.saving = null;
      });
    await this.saving;
  }
}
