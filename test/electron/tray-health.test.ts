import { describe, expect, it } from 'vitest';
import { TOOLTIP_MAX_LENGTH, trayHealth, trayTooltip } from '../../electron/tray/tray-health.js';
import { cluster, server, snapshot } from './snapshot-fixtures.js';

const running = { kind: 'running' } as const;

describe('tray health', () => {
  it('is good when every enabled cluster has an active server and nothing drains or fails', () => {
    const state = snapshot([cluster('web', [server('v1', 'active'), server('v0', 'drained'), server('old', 'disabled')])]);
    expect(trayHealth(state, running)).toBe('good');
    expect(trayTooltip(state, running)).toBe('Switchboard — 1 active, 1 drained, 1 disabled; 7 sessions');
  });

  it('is a warning while a server drains or is offline, while paused, starting, or with an empty cluster', () => {
    expect(trayHealth(snapshot([cluster('web', [server('v1', 'active'), server('v0', 'draining')])]), running)).toBe('warning');
    expect(trayHealth(snapshot([cluster('web', [server('v1', 'active'), server('v2', 'offline')])]), running)).toBe('warning');
    expect(trayHealth(snapshot([cluster('web', [server('v1', 'active')])], { paused: true }), running)).toBe('warning');
    expect(trayHealth(snapshot([cluster('web', [])]), running)).toBe('warning');
    expect(trayHealth(null, { kind: 'starting' })).toBe('warning');
  });

  it('is down when a cluster has no active server, a listener could not bind, or the gateway failed', () => {
    const noActive = snapshot([cluster('web', [server('v1', 'active')]), cluster('crm', [server('a', 'offline'), server('b', 'draining')])]);
    expect(trayHealth(noActive, running)).toBe('down');
    expect(trayTooltip(noActive, running)).toBe('Switchboard — Cluster crm down (no active server)');

    const unbound = snapshot([cluster('web', [server('v1', 'active')])], {
      listeners: [{ port: 8080, host: '0.0.0.0', protocol: 'http', listening: false, error: 'EADDRINUSE' }],
    });
    expect(trayHealth(unbound, running)).toBe('down');
    expect(trayTooltip(unbound, running)).toBe('Switchboard — cannot listen on port 8080');

    expect(trayHealth(null, { kind: 'failed', message: 'boom' })).toBe('down');
  });

  it('does not count a disabled cluster as down', () => {
    expect(trayHealth(snapshot([cluster('web', [server('v1', 'active')]), cluster('old', [server('x', 'disabled')], { enabled: false })]), running)).toBe('good');
  });

  it('keeps the tooltip within what Windows shows', () => {
    const many = snapshot(
      Array.from({ length: 12 }, (_, index) => cluster(`cluster-with-a-long-name-${index}`, [server('a', 'offline')])),
    );
    const tooltip = trayTooltip(many, running);
    expect(tooltip.length).toBe(TOOLTIP_MAX_LENGTH);
    expect(tooltip.endsWith('…')).toBe(true);
  });
});
