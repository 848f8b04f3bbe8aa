import { describe, expect, it } from 'vitest';
import { offersConnectionAuthentication, startsConnectionAuthentication } from '../../../proxy/forwarding/connection-pinning.js';

describe('connection authentication schemes', () => {
  it('recognises NTLM and Negotiate credentials in any case, and nothing else', () => {
    expect(startsConnectionAuthentication('NTLM TlRMTVNTUAABAAAA')).toBe(true);
    expect(startsConnectionAuthentication('negotiate YIIGhgYGKwYBBQUCoIIGejCCBnag')).toBe(true);
    expect(startsConnectionAuthentication('Negotiate')).toBe(true);
    expect(startsConnectionAuthentication('Basic YWxpY2U6c2VjcmV0')).toBe(false);
    expect(startsConnectionAuthentication('Bearer eyJ0eXAi')).toBe(false);
    expect(startsConnectionAuthentication('NTLMv2 x')).toBe(false);
    expect(startsConnectionAuthentication('Negotiated x')).toBe(false);
    expect(startsConnectionAuthentication(undefined)).toBe(false);
  });

  it('finds an NTLM or Negotiate offer among a 401\'s challenges', () => {
    expect(offersConnectionAuthentication(['Negotiate', 'NTLM'])).toBe(true);
    expect(offersConnectionAuthentication('Basic realm="intranet", NTLM')).toBe(true);
    expect(offersConnectionAuthentication('ntlm')).toBe(true);
    expect(offersConnectionAuthentication('Basic realm="intranet"')).toBe(false);
    expect(offersConnectionAuthentication('Bearer realm="api", error="invalid_token"')).toBe(false);
    expect(offersConnectionAuthentication(undefined)).toBe(false);
  });
});
