/** The status and events both gateway connections pass on: a listener that throws is logged and changes nothing else. */
import { describe, expect, it } from 'vitest';
import type { GatewayEvent } from '../../proxy/control/control-api.js';
import { silentLogger, type GatewayLogger } from '../../proxy/logs/gateway-logger.js';
import { ConnectionSignals } from '../../electron/gateway/connection-signals.js';

function recordingLogger(errors: string[]): GatewayLogger {
  return { ...silentLogger, error: (message, fields) => errors.push(`${message} ${JSON.stringify(fields)}`) };
}

const configEvent: GatewayEvent = { type: 'config', at: 0, source: 'api', summary: 'a test change' };

describe('connection signals', () => {
  it('keeps the new status when the status listener throws, and logs the failure', () => {
    const errors: string[] = [];
    const signals = new ConnectionSignals(recordingLogger(errors), () => {
      throw new Error('tray bug');
    });
    expect(signals.status).toEqual({ kind: 'starting' });
    signals.setStatus({ kind: 'failed', message: 'port taken' });
    expect(signals.status).toEqual({ kind: 'failed', message: 'port taken' });
    expect(errors).toEqual(['status listener failed {"error":"tray bug"}']);
  });

  it('delivers each event to every listener until it unsubscribes, past one that throws', () => {
    const errors: string[] = [];
    const signals = new ConnectionSignals(recordingLogger(errors));
    const seen: string[] = [];
    signals.onEvent(() => {
      throw new Error('listener bug');
    });
    const unsubscribe = signals.onEvent((event) => seen.push(event.type));
    signals.deliver(configEvent);
    unsubscribe();
    signals.deliver(configEvent);
    expect(seen).toEqual(['config']);
    expect(errors).toEqual(Array(2).fill('an event listener failed {"event":"config","error":"listener bug"}'));
  });
});
