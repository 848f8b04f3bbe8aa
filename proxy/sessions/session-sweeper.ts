/** Expires due sessions in slices, one slice per turn of the event loop, so that a million expiring at once never stall traffic. */
import type { SessionTable } from './session-table.js';

export class SessionSweeper {
  private sweeping = false;

  constructor(private readonly table: Pick<SessionTable, 'sweep'>) {}

  /** Starts a sweep up to now, unless one is still going. */
  sweep(): void {
    if (this.sweeping) return;
    if (this.table.sweep(Date.now())) return;
    this.sweeping = true;
    const more = (): void => {
      if (this.table.sweep(Date.now())) this.sweeping = false;
      else setImmediate(more);
    };
    setImmediate(more);
  }
}
