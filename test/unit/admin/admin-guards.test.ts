/** The admin server's Host check and failed sign-in limiter, on their own with a fake clock. */
import { describe, expect, it } from 'vitest';
import { createAdminHostCheck, hostNameOf } from '../../../proxy/admin/admin-host-check.js';
import { validateConfig } from '../../../proxy/config/config-validation.js';
import { SignInLimiter } from '../../../proxy/admin/sign-in-limiter.js';
import { TEST_TOKEN } from '../../support/gateway-harness.js';

describe('admin Host check', () => {
  it('reads host names out of Host headers', () => {
    expect(hostNameOf('Example.COM:9090')).toBe('example.com');
    expect(hostNameOf('[::1]:9090')).toBe('::1');
    expect(hostNameOf('localhost.')).toBe('localhost');
    expect(hostNameOf(undefined)).toBeNull();
    expect(hostNameOf('')).toBeNull();
    expect(hostNameOf('::1')).toBeNull();
    expect(hostNameOf('a b')).toBeNull();
    expect(hostNameOf('host:port')).toBeNull();
  });

  it('on loopback: the loopback names only', () => {
    const allowed = createAdminHostCheck('127.0.0.1');
    for (const host of ['127.0.0.1:9090', 'localhost', '[::1]:9090']) expect([host, allowed(host)]).toEqual([host, true]);
    for (const host of ['evil.example', '10.0.0.5', '127.0.0.2', undefined]) expect([host, allowed(host)]).toEqual([host, false]);
  });

  it('on one address: that address and the allowed names, no loopback names', () => {
    const allowed = createAdminHostCheck('10.0.0.5', ['switchboard.corp.local']);
    expect(allowed('10.0.0.5:9090')).toBe(true);
    expect(allowed('SWITCHBOARD.corp.local:9090')).toBe(true);
    expect(allowed('localhost:9090')).toBe(false);
    expect(allowed('10.0.0.6')).toBe(false);
    expect(allowed('evil.example')).toBe(false);
  });

  it('on every interface: loopback names, any IP address and the allowed names', () => {
    const allowed = createAdminHostCheck('0.0.0.0', ['gw01']);
    for (const host of ['localhost:9090', '10.0.0.5:9090', '[fd00::5]:9090', 'gw01']) expect([host, allowed(host)]).toEqual([host, true]);
    expect(allowed('evil.example')).toBe(false);
    expect(createAdminHostCheck('::')('192.168.1.10')).toBe(true);
  });

  it('validates admin.allowedHosts', () => {
    expect(validateConfig({ admin: { token: TEST_TOKEN, allowedHosts: ['gw01.corp.local', '10.0.0.5', '[fd00::5]'] } }).admin.allowedHosts).toHaveLength(3);
    expect(() => validateConfig({ admin: { token: TEST_TOKEN, allowedHosts: ['gw01:9090'] } })).toThrow(
      'admin.allowedHosts[0] must be a host name or IP address, without a port',
    );
  });
});

describe('sign-in limiter', () => {
  it('blocks an address after 10 failures within a minute, for a minute', () => {
    let now = 1_000_000;
    const limiter = new SignInLimiter({ now: () => now });
    for (let i = 1; i < 10; i++) {
      expect(limiter.recordFailure('10.0.0.1').blocked).toBe(false);
      now += 1000;
    }
    expect(limiter.retryAfterMs('10.0.0.1')).toBe(0);
    expect(limiter.recordFailure('10.0.0.1').blocked).toBe(true);
    expect(limiter.retryAfterMs('10.0.0.1')).toBe(60_000);
    expect(limiter.retryAfterMs('10.0.0.2')).toBe(0);
    now += 59_999;
    expect(limiter.retryAfterMs('10.0.0.1')).toBe(1);
    now += 1;
    expect(limiter.retryAfterMs('10.0.0.1')).toBe(0);
  });

  it('forgets failures older than the window', () => {
    let now = 0;
    const limiter = new SignInLimiter({ now: () => now });
    for (let i = 0; i < 50; i++) {
      expect(limiter.recordFailure('10.0.0.1').blocked).toBe(false);
      now += 7000;
    }
  });

  it('remembers a bounded number of addresses, forgetting the least recently failing', () => {
    let now = 0;
    const limiter = new SignInLimiter({ now: () => now, maxAddresses: 100, maxFailures: 2 });
    limiter.recordFailure('keeps-failing');
    let largest = 0;
    for (let i = 0; i < 10_000; i++) {
      now++;
      limiter.recordFailure(`10.0.${i >> 8}.${i & 255}`);
      if (i % 50 === 0) limiter.recordFailure('keeps-failing');
      largest = Math.max(largest, limiter.size);
    }
    expect(largest).toBe(100);
    expect(limiter.retryAfterMs('keeps-failing')).toBeGreaterThan(0);
  });
});
