import { describe, expect, it } from 'vitest';
import { isAddressOrCidr } from '../../../proxy/config/address-syntax.js';
import { compileAccessRule, compileAddressList, normalizeAddress, parseAddressPattern, refusingMatcher } from '../../../proxy/routing/access-rules.js';
import { resolveClientAddress } from '../../../proxy/routing/client-address.js';

describe('address patterns', () => {
  it('accepts IPv4 and IPv6 addresses and ranges, and nothing else', () => {
    for (const good of ['10.0.0.0/8', '192.168.1.7', '0.0.0.0/0', '::1', 'fd00::/8', '2001:db8::/32', '::ffff:10.0.0.1', '::/0']) {
      expect(isAddressOrCidr(good), good).toBe(true);
      expect(parseAddressPattern(good), good).not.toBeNull();
    }
    for (const bad of ['10.0.0.0/33', '256.1.1.1', '10.0.0', 'fd00::/129', 'example.com', '10.0.0.1/', '/8', '1.2.3.4/a', '', 'fe80::1%eth0/64', ':::1']) {
      expect(isAddressOrCidr(bad), bad).toBe(false);
      expect(parseAddressPattern(bad), bad).toBeNull();
    }
  });

  it('writes each client address one way', () => {
    expect(normalizeAddress('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(normalizeAddress('::FFFF:10.1.2.3')).toBe('10.1.2.3');
    expect(normalizeAddress('FE80::1%eth0')).toBe('fe80::1');
    expect(normalizeAddress('[2001:db8::1]')).toBe('2001:db8::1');
    expect(normalizeAddress('10.1.2.3')).toBe('10.1.2.3');
    expect(normalizeAddress('unknown')).toBeNull();
  });
});

describe('address lists', () => {
  const list = compileAddressList(['10.0.0.0/8', '192.168.1.7', 'fd00::/8', '::1']);

  it('matches IPv4 hosts and ranges, including IPv4-mapped IPv6 spellings', () => {
    expect(list.includes('10.200.3.4')).toBe(true);
    expect(list.includes('::ffff:10.200.3.4')).toBe(true);
    expect(list.includes('192.168.1.7')).toBe(true);
    expect(list.includes('192.168.1.8')).toBe(false);
    expect(list.includes('11.0.0.1')).toBe(false);
  });

  it('matches IPv6 hosts and ranges', () => {
    expect(list.includes('fd12:3456::1')).toBe(true);
    expect(list.includes('::1')).toBe(true);
    expect(list.includes('fe80::1%eth0')).toBe(false);
    expect(list.includes('2001:db8::1')).toBe(false);
  });

  it('matches IPv4 clients against IPv4-mapped IPv6 ranges', () => {
    expect(compileAddressList(['::ffff:192.168.0.0/120']).includes('192.168.0.77')).toBe(true);
  });

  it('never matches something that is not an address', () => {
    expect(list.includes('')).toBe(false);
    expect(list.includes('not-an-ip')).toBe(false);
  });

  it('refuses to compile an entry that is not an address', () => {
    expect(() => compileAddressList(['10.0.0.0/8', 'intranet'])).toThrow(/"intranet" is not an IP address or CIDR range/);
  });
});

describe('access rules', () => {
  it('an allow list lets in only the listed clients', () => {
    const rule = compileAccessRule({ mode: 'allow', addresses: ['10.0.0.0/8', '2001:db8::/32'], action: '403' });
    expect(rule.allows('10.1.1.1')).toBe(true);
    expect(rule.allows('::ffff:10.1.1.1')).toBe(true);
    expect(rule.allows('2001:db8::42')).toBe(true);
    expect(rule.allows('172.16.0.1')).toBe(false);
    expect(rule.allows('garbage')).toBe(false);
    expect(rule.action).toBe('403');
  });

  it('a deny list keeps out only the listed clients', () => {
    const rule = compileAccessRule({ mode: 'deny', addresses: ['203.0.113.0/24'], action: 'close' });
    expect(rule.allows('203.0.113.9')).toBe(false);
    expect(rule.allows('203.0.114.9')).toBe(true);
    expect(rule.action).toBe('close');
  });

  it('no rule lets everyone in; an empty allow list lets no one in', () => {
    expect(compileAccessRule(undefined).allows('1.2.3.4')).toBe(true);
    expect(compileAccessRule({ mode: 'allow', addresses: [], action: '403' }).allows('1.2.3.4')).toBe(false);
  });

  it('reports the first refusing rule, server-wide before route', () => {
    const serverWide = compileAccessRule({ mode: 'deny', addresses: ['10.9.0.0/16'], action: 'close' });
    const route = compileAccessRule({ mode: 'allow', addresses: ['10.0.0.0/8'], action: '403' });
    expect(refusingMatcher('10.9.1.1', serverWide, route)).toBe(serverWide);
    expect(refusingMatcher('172.16.0.1', serverWide, route)).toBe(route);
    expect(refusingMatcher('10.1.1.1', serverWide, route)).toBeNull();
    expect(refusingMatcher('10.1.1.1', serverWide, undefined)).toBeNull();
  });
});

describe('resolveClientAddress', () => {
  const trusted = compileAddressList(['10.0.0.10', '10.0.1.0/24', '2001:db8::10']);
  const none = compileAddressList([]);

  it('uses the TCP peer when it is not a trusted proxy, whatever the header says', () => {
    expect(resolveClientAddress('198.51.100.7', '1.1.1.1', trusted)).toBe('198.51.100.7');
    expect(resolveClientAddress('::ffff:198.51.100.7', '1.1.1.1', trusted)).toBe('198.51.100.7');
    expect(resolveClientAddress('10.0.0.10', '1.1.1.1', none)).toBe('10.0.0.10');
  });

  it('believes the header from a trusted proxy', () => {
    expect(resolveClientAddress('10.0.0.10', '198.51.100.7', trusted)).toBe('198.51.100.7');
    expect(resolveClientAddress('::ffff:10.0.0.10', '198.51.100.7', trusted)).toBe('198.51.100.7');
    expect(resolveClientAddress('2001:db8::10', '2001:db8:ffff::1', trusted)).toBe('2001:db8:ffff::1');
  });

  it('walks right to left through trusted hops and stops at the first untrusted one', () => {
    // The client wrote "6.6.6.6" itself; the untrusted 198.51.100.7 is as far as trust reaches.
    expect(resolveClientAddress('10.0.0.10', '6.6.6.6, 198.51.100.7, 10.0.1.5', trusted)).toBe('198.51.100.7');
    expect(resolveClientAddress('10.0.0.10', ['6.6.6.6, 198.51.100.7', '10.0.1.5'], trusted)).toBe('198.51.100.7');
  });

  it('takes the leftmost address when every hop is trusted', () => {
    expect(resolveClientAddress('10.0.0.10', '10.0.1.9, 10.0.1.5', trusted)).toBe('10.0.1.9');
  });

  it('reads hops with ports and brackets', () => {
    expect(resolveClientAddress('10.0.0.10', '198.51.100.7:51234', trusted)).toBe('198.51.100.7');
    expect(resolveClientAddress('10.0.0.10', '[2001:db8:1::5]:443', trusted)).toBe('2001:db8:1::5');
  });

  it('stops at a malformed hop and keeps the last address a trusted hop vouched for', () => {
    expect(resolveClientAddress('10.0.0.10', 'unknown, 10.0.1.5', trusted)).toBe('10.0.1.5');
    expect(resolveClientAddress('10.0.0.10', '<script>', trusted)).toBe('10.0.0.10');
    expect(resolveClientAddress('10.0.0.10', '', trusted)).toBe('10.0.0.10');
  });

  it('uses the peer when there is no header', () => {
    expect(resolveClientAddress('10.0.0.10', undefined, trusted)).toBe('10.0.0.10');
  });
});
