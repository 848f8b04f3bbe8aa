/** Fans gateway events out to subscribers; a failing subscriber never disturbs the gateway. */
import type { GatewayEvent } from './control-api.js';

export class EventHub {
  private readonly listeners = new Set<(event: GatewayEvent) => void>();

  get hasListeners(): boolean {
    return this.listeners.size > 0;
  }

  subscribe(listener: (event: GatewayEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: GatewayEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A subscriber's own failure is its business.
      }
    }
  }
}
