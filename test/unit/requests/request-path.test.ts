import { describe, expect, it } from 'vitest';
import { RefusedRequest } from '../../../proxy/requests/refused-request.js';
import { normalizeOriginForm } from '../../../proxy/requests/request-path.js';
import { parseRequestTarget } from '../../../proxy/requests/request-target.js';

function refusal(target: string): RefusedRequest {
  try {
    normalizeOriginForm(target);
  } catch (error) {
    if (error instanceof RefusedRequest) return error;
    throw error;
  }
  throw new Error(`${target} was not refused`);
}

describe('request path normalization', () => {
  it('leaves an already normal target, and any query, as it is', () => {
    for (const target of ['/', '/a/b/c', '/a/b/', '/a.b/c~d_e-f', '/.well-known/x', '/a?x=../..//%2F%00', '/caf%C3%A9', '/app/page.php?id=7', '/x/a;b/c;d']) {
      expect(normalizeOriginForm(target), target).toBe(target);
    }
  });

  it('removes dot segments, merges slashes and decodes unreserved characters (RFC 3986 §6.2.2)', () => {
    const cases: [string, string][] = [
      ['/./internal', '/internal'],
      ['/x/../internal', '/internal'],
      ['/%69nternal', '/internal'],
      ['/%49NTERNAL', '/INTERNAL'],
      ['//internal', '/internal'],
      ['///internal//page', '/internal/page'],
      ['/a/b/../../../internal', '/internal'],
      ['/%2e/internal', '/internal'],
      ['/x/%2E%2E/internal', '/internal'],
      ['/x/.%2e/internal', '/internal'],
      ['/a/b/.', '/a/b/'],
      ['/a/b/..', '/a/'],
      ['/a/..', '/'],
      ['/..', '/'],
      ['/a//', '/a/'],
      ['/%7Euser/%41%5a%30%2D%5F', '/~user/AZ0-_'],
      ['/caf%c3%a9', '/caf%C3%A9'],
      ['/a%20b', '/a%20b'],
      ['/a%3fb', '/a%3Fb'],
      ['/x/../internal?next=/x/../y', '/internal?next=/x/../y'],
    ];
    for (const [target, normal] of cases) expect(normalizeOriginForm(target), target).toBe(normal);
  });

  it('refuses encoded slashes, backslashes, NUL and other control characters in any case', () => {
    for (const target of ['/a%2Fb', '/a%2fb', '/a%5Cb', '/a%5cb', '/a%00', '/a%0d%0aX', '/a%1F', '/a%7f', '/a%7F']) {
      expect(refusal(target).status, target).toBe(400);
    }
  });

  it('refuses raw control characters, spaces, backslashes, fragments, non-ASCII and broken escapes', () => {
    for (const target of ['/a\\b', '/a b', '/a\tb', '/a\u0000', '/a\u007f', '/caf\u00e9', '/a#b', '/a?b#c', '/a?b c', '/a%', '/a%4', '/a%zz', '/a%%41']) {
      expect(refusal(target).status, JSON.stringify(target)).toBe(400);
    }
  });

  it('refuses dot segments with parameters, which Java servers read as dot segments', () => {
    for (const target of ['/x/..;/internal', '/x/.;/internal', '/x/%2e%2e;a=b/internal']) expect(refusal(target).status, target).toBe(400);
    expect(normalizeOriginForm('/x//a;b/./c;d')).toBe('/x/a;b/c;d');
  });

  it('refuses a target that is not a path', () => {
    expect(refusal('*').status).toBe(400);
    expect(refusal('').status).toBe(400);
    expect(refusal('internal').status).toBe(400);
  });
});

describe('absolute-form request targets (RFC 9112 §3.2.2)', () => {
  it('yield the host they name and an origin-form, normalized target', () => {
    expect(parseRequestTarget('http://Portal.Test:8080/a/../b?q=1')).toEqual({ url: '/b?q=1', authority: 'Portal.Test:8080' });
    expect(parseRequestTarget('HTTPS://portal.test')).toEqual({ url: '/', authority: 'portal.test' });
    expect(parseRequestTarget('http://portal.test?q')).toEqual({ url: '/?q', authority: 'portal.test' });
    expect(parseRequestTarget('http://[::1]:81/x')).toEqual({ url: '/x', authority: '[::1]:81' });
    expect(parseRequestTarget('/plain')).toEqual({ url: '/plain', authority: undefined });
  });

  it('are refused with another scheme, user information or no host', () => {
    for (const target of ['ftp://portal.test/', 'http://user:pw@portal.test/', 'http:///x', 'http://portal.test:x/', 'http://a b/', 'http://portal.test/x#y']) {
      expect(() => parseRequestTarget(target), target).toThrow(RefusedRequest);
    }
  });
});
