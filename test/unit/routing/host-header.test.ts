/** backendHostHeader: the client's Host passed on, or the fixed name a backend expects. */
import { describe, expect, it } from 'vitest';
import { backendHostHeader } from '../../../proxy/routing/host-header.js';

describe('backendHostHeader', () => {
  it("passes the client's Host on by default and in keep mode", () => {
    expect(backendHostHeader(undefined, 'intranet.corp.local')).toBe('intranet.corp.local');
    expect(backendHostHeader({ mode: 'keep' }, 'intranet.corp.local:8443')).toBe('intranet.corp.local:8443');
    expect(backendHostHeader({ mode: 'keep' }, undefined)).toBeUndefined();
  });

  it('sends the fixed name whatever the client used, even with no Host at all', () => {
    expect(backendHostHeader({ mode: 'fixed', value: 'app01.corp.local' }, 'intranet.corp.local')).toBe('app01.corp.local');
    expect(backendHostHeader({ mode: 'fixed', value: 'app01.corp.local' }, undefined)).toBe('app01.corp.local');
  });

  it("keeps the client's Host when a fixed setting has no name", () => {
    expect(backendHostHeader({ mode: 'fixed', value: '' }, 'intranet.corp.local')).toBe('intranet.corp.local');
  });
});
