/** EventHub: every subscriber gets each event, and none can disturb the others or the gateway. */
import { describe, expect, it } from 'vitest';
import type { GatewayEvent } from '../../../proxy/control/control-api.js';
import { EventHub } from '../../../proxy/control/gateway-events.js';

const event = (n: number) => ({ type: 'config', at: n }) as unknown as GatewayEvent;

describe('EventHub', () => {
  it('delivers each event to every subscriber until it unsubscribes', () => {
    const hub = new EventHub();
    const a: GatewayEvent[] = [];
    const b: GatewayEvent[] = [];
    expect(hub.hasListeners).toBe(false);
    const stopA = hub.subscribe((e) => a.push(e));
    hub.subscribe((e) => b.push(e));
    expect(hub.hasListeners).toBe(true);
    hub.emit(event(1));
    stopA();
    hub.emit(event(2));
    expect([a, b]).toEqual([[event(1)], [event(1), event(2)]]);
  });

  it('keeps delivering when a subscriber throws, and lets one unsubscribe while being called', () => {
    const hub = new EventHub();
    const seen: number[] = [];
    hub.subscribe(() => {
      throw new Error('broken subscriber');
    });
    const stop = hub.subscribe(() => {
      seen.push(1);
      stop();
    });
    hub.subscribe(() => seen.push(2));
    expect(() => hub.emit(event(1))).not.toThrow();
    hub.emit(event(2));
    expect(seen).toEqual([1, 2, 2]);
  });
});
