import { describe, expect, it } from 'vitest';
import { placeSettingsIssues } from '../../renderer/src/settings-issues.js';

describe('placeSettingsIssues', () => {
  it('puts an issue of the edited listener next to its field', () => {
    const placed = placeSettingsIssues(
      [{ path: 'listeners[1].tls.pfxPath', message: 'names a file that does not exist: C:\\certs\\x.pfx' }],
      'listeners[1]',
      ['port', 'tls.pfxPath'],
    );
    expect(placed.byField).toEqual({ 'tls.pfxPath': 'Names a file that does not exist: C:\\certs\\x.pfx' });
    expect(placed.general).toEqual([]);
  });

  it('keeps an issue of another listener above the form with its full path', () => {
    const placed = placeSettingsIssues([{ path: 'listeners[0].port', message: 'is a duplicate port "8080"' }], 'listeners[1]', ['port']);
    expect(placed.byField).toEqual({});
    expect(placed.general).toEqual(['listeners[0].port is a duplicate port "8080"']);
  });

  it('does not mistake listeners[10] for listeners[1]', () => {
    const placed = placeSettingsIssues([{ path: 'listeners[10].port', message: 'must be 1–65535' }], 'listeners[1]', ['port']);
    expect(placed.general).toEqual(['listeners[10].port must be 1–65535']);
  });

  it('names the line of a list field an issue is about, counting from 1', () => {
    const placed = placeSettingsIssues(
      [
        { path: 'access.addresses[2]', message: 'must be an IP address or CIDR range' },
        { path: 'trustedProxies[0]', message: 'must be an IP address or CIDR range' },
      ],
      '',
      ['access.addresses', 'trustedProxies'],
    );
    expect(placed.byField).toEqual({
      'access.addresses': 'Line 3 must be an IP address or CIDR range',
      trustedProxies: 'Line 1 must be an IP address or CIDR range',
    });
  });

  it('joins two issues of one field', () => {
    const placed = placeSettingsIssues(
      [
        { path: 'logs.directory', message: 'must name a folder' },
        { path: 'logs.directory', message: 'is not writable' },
      ],
      '',
      ['logs.directory'],
    );
    expect(placed.byField['logs.directory']).toBe('Must name a folder; is not writable');
  });
});
