/** The address syntax shared by the config schema, the access rules and the web console. */
import { describe, expect, it } from 'vitest';
import { ipFamilyOf, isAddressOrCidr, withoutBrackets } from '../../../proxy/config/address-syntax.js';

describe('ipFamilyOf', () => {
  it('tells IPv4 from IPv6 from anything else', () => {
    expect(['10.0.0.5', '255.255.255.255', '0.0.0.0'].map(ipFamilyOf)).toEqual([4, 4, 4]);
    expect(['::1', 'fd00::5', '2001:db8::1:2', '::ffff:10.0.0.5'].map(ipFamilyOf)).toEqual([6, 6, 6, 6]);
    expect(['256.0.0.1', '10.0.0', '01.2.3.4x', 'intranet.corp.local', ':::', '1:2:3:4:5:6:7:8:9', '[::1]', ''].map(ipFamilyOf)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('isAddressOrCidr', () => {
  it('accepts addresses and ranges with a prefix that fits their family', () => {
    for (const text of ['192.168.1.7', '10.0.0.0/8', '0.0.0.0/0', '::1', 'fd00::/8', '::/128']) expect([text, isAddressOrCidr(text)]).toEqual([text, true]);
  });

  it('refuses prefixes too long for the family, malformed prefixes and names', () => {
    for (const text of ['10.0.0.0/33', 'fd00::/129', '10.0.0.0/', '10.0.0.0/-1', '10.0.0.0/8/8', 'intranet/24', '10.0.0.0/1234']) {
      expect([text, isAddressOrCidr(text)]).toEqual([text, false]);
    }
  });
});

describe('withoutBrackets', () => {
  it('takes the brackets off an IPv6 literal and leaves everything else as it is', () => {
    expect(withoutBrackets('[::1]')).toBe('::1');
    expect(withoutBrackets('[fd00::5]')).toBe('fd00::5');
    expect(withoutBrackets('10.0.0.5')).toBe('10.0.0.5');
    expect(withoutBrackets('intranet.corp.local')).toBe('intranet.corp.local');
    expect(withoutBrackets('[::1')).toBe('[::1');
    expect(withoutBrackets('[::1]:8080')).toBe('[::1]:8080');
  });
});
