import { describe, expect, it } from 'vitest';
import { validateConfig, ConfigError } from '../../../proxy/config/config-validation.js';
import { createPathMapping, toBackendUrl, toPublicPath, withTrailingSlash } from '../../../proxy/routing/path-mapping.js';
import {
  hasRewritableHeaders,
  rewriteRefresh,
  rewriteResponseHeaders,
  rewriteSetCookie,
  rewriteUrl,
  type ResponseRewrite,
} from '../../../proxy/forwarding/response-rewrite.js';
import { RouteTable } from '../../../proxy/routing/route-table.js';

const wiki = createPathMapping('/wiki/', '/')!;
const moved = createPathMapping('/old/', '/new/')!;

function rewrite(overrides: Partial<ResponseRewrite> = {}): ResponseRewrite {
  return {
    secure: true,
    publicHost: 'intranet.corp.local',
    mapping: wiki,
    backend: new URL('http://10.0.0.5:8080'),
    sentHost: 'intranet.corp.local',
    ...overrides,
  };
}

describe('path mapping', () => {
  it('replaces the public prefix of a request, ignoring ASCII case as routing does, and keeps the query', () => {
    expect(toBackendUrl('/wiki/page?x=1', wiki)).toBe('/page?x=1');
    expect(toBackendUrl('/WIKI/', wiki)).toBe('/');
    expect(toBackendUrl('/old/a/b', moved)).toBe('/new/a/b');
    expect(toBackendUrl('/other', wiki)).toBe('/other');
    expect(createPathMapping('/wiki/', undefined)).toBeUndefined();
  });

  it('maps backend paths back, including the backend folder without its slash', () => {
    expect(toPublicPath('/', wiki)).toBe('/wiki/');
    expect(toPublicPath('/login', wiki)).toBe('/wiki/login');
    expect(toPublicPath('/new/x', moved)).toBe('/old/x');
    expect(toPublicPath('/new', moved)).toBe('/old');
    expect(toPublicPath('/newer', moved)).toBeUndefined();
    expect(toPublicPath('/', moved)).toBeUndefined();
  });

  it('adds the trailing slash before the query', () => {
    expect(withTrailingSlash('/wiki')).toBe('/wiki/');
    expect(withTrailingSlash('/Wiki?a=1&b=/x')).toBe('/Wiki/?a=1&b=/x');
  });
});

describe('RouteTable with backend paths', () => {
  const table = new RouteTable([
    { host: '*', path: '/', cluster: 'web' },
    { host: '*', path: '/wiki/', backendPath: '/', cluster: 'wiki' },
    { host: '*', path: '/crm/', cluster: 'crm' },
    { host: '*', path: '/docs/', backendPath: '/', cluster: 'docs' },
    { host: '*', path: '/docs', cluster: 'docs-page' },
  ]);

  it('carries the mapping of the matched route', () => {
    expect(table.match('x', '/wiki/a')?.mapping).toEqual({ publicPrefix: '/wiki/', backendPrefix: '/' });
    expect(table.match('x', '/crm/a')?.mapping).toBeUndefined();
  });

  it('sends the mapped path without its slash to the slash, unless a route of its own takes it', () => {
    expect(table.match('x', '/WIKI')).toMatchObject({ clusterId: 'wiki', addTrailingSlash: true });
    expect(table.match('x', '/wiki?x=1')?.addTrailingSlash).toBe(true);
    expect(table.match('x', '/wiki/')?.addTrailingSlash).toBeUndefined();
    expect(table.match('x', '/docs')?.clusterId).toBe('docs-page');
    // Only mapped routes redirect: an unmapped one keeps today's behaviour.
    expect(table.match('x', '/crm')?.clusterId).toBe('web');
  });

  it('redirects even when no other route would take the path', () => {
    const only = new RouteTable([{ host: 'intranet', path: '/wiki/', backendPath: '/', cluster: 'wiki' }]);
    expect(only.match('intranet', '/wiki')?.addTrailingSlash).toBe(true);
    expect(only.match('intranet', '/wik')).toBeUndefined();
  });
});

describe('rewriteUrl', () => {
  it("gives the backend's own address the public scheme, host and path", () => {
    expect(rewriteUrl('http://10.0.0.5:8080/login?next=%2F#top', rewrite())).toBe('https://intranet.corp.local/wiki/login?next=%2F#top');
    expect(rewriteUrl('http://10.0.0.5:8080', rewrite())).toBe('https://intranet.corp.local/wiki/');
    expect(rewriteUrl('HTTP://10.0.0.5:8080/a', rewrite())).toBe('https://intranet.corp.local/wiki/a');
    expect(rewriteUrl('//10.0.0.5:8080/a', rewrite())).toBe('https://intranet.corp.local/wiki/a');
  });

  it('recognises the Host the backend was sent, with or without a port given on either side', () => {
    const fixed = rewrite({ sentHost: 'app01.corp.local' });
    expect(rewriteUrl('http://app01.corp.local/x', fixed)).toBe('https://intranet.corp.local/wiki/x');
    expect(rewriteUrl('https://APP01.corp.local./x', fixed)).toBe('https://intranet.corp.local/wiki/x');
    expect(rewriteUrl('http://app01.corp.local:80/x', fixed)).toBe('https://intranet.corp.local/wiki/x');
    expect(rewriteUrl('http://app01.corp.local:8081/x', fixed)).toBe('http://app01.corp.local:8081/x');
    expect(rewriteUrl('http://intranet.corp.local/x', rewrite())).toBe('https://intranet.corp.local/wiki/x');
  });

  it('leaves other hosts, ports, schemes, user info and relative paths alone', () => {
    expect(rewriteUrl('http://10.0.0.5:8081/x', rewrite())).toBe('http://10.0.0.5:8081/x');
    expect(rewriteUrl('http://elsewhere/x', rewrite())).toBe('http://elsewhere/x');
    expect(rewriteUrl('ftp://10.0.0.5:8080/x', rewrite())).toBe('ftp://10.0.0.5:8080/x');
    expect(rewriteUrl('http://user@10.0.0.5:8080/x', rewrite())).toBe('http://user@10.0.0.5:8080/x');
    expect(rewriteUrl('../edit', rewrite())).toBe('../edit');
    expect(rewriteUrl('', rewrite())).toBe('');
  });

  it('maps path-absolute references under the backend prefix, and only those', () => {
    expect(rewriteUrl('/login?x=/y', rewrite())).toBe('/wiki/login?x=/y');
    expect(rewriteUrl('/new/a', rewrite({ mapping: moved }))).toBe('/old/a');
    expect(rewriteUrl('/other', rewrite({ mapping: moved }))).toBe('/other');
    expect(rewriteUrl('/login', rewrite({ mapping: undefined }))).toBe('/login');
  });

  it('keeps the path of a backend URL outside the prefix, fixing only scheme and host', () => {
    expect(rewriteUrl('http://10.0.0.5:8080/other', rewrite({ mapping: moved }))).toBe('https://intranet.corp.local/other');
  });

  it('answers with a relative reference when the client sent no Host, or one no browser would send', () => {
    expect(rewriteUrl('http://10.0.0.5:8080/login', rewrite({ publicHost: undefined }))).toBe('/wiki/login');
    expect(rewriteUrl('http://10.0.0.5:8080/login', rewrite({ publicHost: 'evil.test/x?' }))).toBe('/wiki/login');
  });

  it('never turns a backend path into a reference to another host', () => {
    const atRoot = rewrite({ mapping: createPathMapping('/', '/app/') });
    expect(rewriteUrl('/app/next', atRoot)).toBe('/next');
    expect(rewriteUrl('/app//evil.test/x', atRoot)).toBe('/app//evil.test/x');
    expect(rewriteUrl('/app/\\evil.test', atRoot)).toBe('/app/\\evil.test');
    expect(rewriteUrl('http://10.0.0.5:8080/app//evil.test', atRoot)).toBe('https://intranet.corp.local/app//evil.test');
  });

  it('handles IPv6 backends', () => {
    const v6 = rewrite({ backend: new URL('http://[fd00::5]:8080'), sentHost: undefined, publicHost: '[fd00::1]:8443' });
    expect(rewriteUrl('http://[FD00::5]:8080/a', v6)).toBe('https://[fd00::1]:8443/wiki/a');
    expect(rewriteUrl('http://[fd00::6]:8080/a', v6)).toBe('http://[fd00::6]:8080/a');
  });
});

describe('rewriteRefresh', () => {
  it('rewrites the URL part, keeping delay, quoting and spelling', () => {
    expect(rewriteRefresh('5; url=http://10.0.0.5:8080/done', rewrite())).toBe('5; url=https://intranet.corp.local/wiki/done');
    expect(rewriteRefresh("0;URL='/next'", rewrite())).toBe("0;URL='/wiki/next'");
    expect(rewriteRefresh('3, /next', rewrite())).toBe('3, /wiki/next');
  });

  it('leaves a refresh without a URL, or to elsewhere, as it was', () => {
    expect(rewriteRefresh('30', rewrite())).toBe('30');
    const value = '5; url=http://elsewhere/';
    expect(rewriteRefresh(value, rewrite())).toBe(value);
  });
});

describe('rewriteSetCookie', () => {
  it('maps Path and drops a Domain naming the backend', () => {
    expect(rewriteSetCookie('sid=a; Path=/; Domain=10.0.0.5; HttpOnly', rewrite())).toBe('sid=a; Path=/wiki/; HttpOnly');
    expect(rewriteSetCookie('sid=a; path=/app', rewrite())).toBe('sid=a; Path=/wiki/app');
    expect(rewriteSetCookie('sid=a; Path=/new', rewrite({ mapping: moved }))).toBe('sid=a; Path=/old');
    expect(rewriteSetCookie('sid=a; Domain=.app01.corp.local', rewrite({ sentHost: 'app01.corp.local:8080' }))).toBe('sid=a');
  });

  it('keeps a Domain naming the public host or another domain, and paths outside the prefix', () => {
    const keep = ['sid=a; Domain=intranet.corp.local; Path=/', 'sid=a; Domain=corp.local'];
    expect(rewriteSetCookie(keep[0]!, rewrite({ mapping: undefined }))).toBe(keep[0]);
    expect(rewriteSetCookie(keep[1]!, rewrite())).toBe(keep[1]);
    expect(rewriteSetCookie('sid=a; Path=/', rewrite({ mapping: moved }))).toBe('sid=a; Path=/');
  });

  it('returns the very same string when nothing changes', () => {
    const cookie = 'theme=dark; Path=/; Max-Age=60';
    expect(rewriteSetCookie(cookie, rewrite({ mapping: undefined }))).toBe(cookie);
    expect(rewriteSetCookie('a=b', rewrite())).toBe('a=b');
  });
});

describe('rewriteResponseHeaders', () => {
  it('rewrites every header it knows, in place, and nothing else', () => {
    const headers = {
      location: 'http://10.0.0.5:8080/a',
      'content-location': '/b',
      refresh: '1; url=/c',
      'set-cookie': ['x=1; Path=/', 'y=2'],
      link: '<http://10.0.0.5:8080/style.css>; rel=preload',
    };
    expect(hasRewritableHeaders(headers)).toBe(true);
    rewriteResponseHeaders(headers, rewrite());
    expect(headers).toEqual({
      location: 'https://intranet.corp.local/wiki/a',
      'content-location': '/wiki/b',
      refresh: '1; url=/wiki/c',
      'set-cookie': ['x=1; Path=/wiki/', 'y=2'],
      link: '<http://10.0.0.5:8080/style.css>; rel=preload',
    });
  });

  it('sees nothing to do in a response without those headers', () => {
    expect(hasRewritableHeaders({ 'content-type': 'text/html', 'content-length': '5' })).toBe(false);
  });
});

describe('backendPath in the config', () => {
  const base = { admin: { token: 'publishing-test-token-0123456789' }, clusters: [{ id: 'web', name: 'Web' }] };
  const issuesOf = (route: Record<string, unknown>): string[] => {
    try {
      validateConfig({ ...base, routes: [{ cluster: 'web', ...route }] });
      return [];
    } catch (error) {
      return (error as ConfigError).issues.map((issue) => `${issue.path} ${issue.message}`);
    }
  };

  it('accepts folder paths, and leaves routes without one unmapped', () => {
    expect(issuesOf({ path: '/wiki/', backendPath: '/' })).toEqual([]);
    expect(issuesOf({ path: '/', backendPath: '/app/v2/' })).toEqual([]);
    expect(issuesOf({ path: '/x/', backendPath: '/%7Euser/' })).toEqual([]);
    expect(validateConfig({ ...base, routes: [{ cluster: 'web' }] }).routes[0]!.backendPath).toBeUndefined();
    expect(validateConfig(base).clusters[0]!.rewriteResponseUrls).toBe(true);
  });

  it('says what is wrong, one message per field', () => {
    expect(issuesOf({ path: '/wiki/', backendPath: 'app/' })).toEqual(['routes[0].backendPath must start with "/"']);
    expect(issuesOf({ path: '/wiki/', backendPath: '/app' })).toEqual(['routes[0].backendPath must end with "/" like the route\'s path, e.g. "/" or "/app/"']);
    expect(issuesOf({ path: '/wiki/', backendPath: '//app/' })[0]).toMatch(/^routes\[0\]\.backendPath must be a path such as/);
    expect(issuesOf({ path: '/wiki/', backendPath: '/a?b/' })[0]).toMatch(/^routes\[0\]\.backendPath must be a path such as/);
    expect(issuesOf({ path: '/wiki/', backendPath: '/./' })).toEqual(['routes[0].backendPath must not contain "." or ".." segments']);
    expect(issuesOf({ path: '/wiki', backendPath: '/' })[0]).toMatch(/^routes\[0\]\.path must end with "\/" when backendPath is set/);
    expect(issuesOf({ path: '/wiki' })).toEqual([]);
  });
});
