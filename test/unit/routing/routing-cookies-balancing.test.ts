import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LeastSessionsBalancer, SmoothRoundRobinBalancer } from '../../../proxy/balancing/balancer.js';
import { RouteTable, normalizeHost } from '../../../proxy/routing/route-table.js';
import { SessionCookieCodec, readCookie } from '../../../proxy/sessions/session-cookie.js';

describe('RouteTable', () => {
  const table = new RouteTable([
    { host: '*', path: '/', cluster: 'any' },
    { host: '*.example.com', path: '/', cluster: 'wild' },
    { host: '*.eu.example.com', path: '/', cluster: 'eu' },
    { host: 'www.example.com', path: '/', cluster: 'www' },
    { host: 'www.example.com', path: '/Shop/', cluster: 'shop' },
  ]);

  it('prefers exact hosts, then the longest wildcard, then *', () => {
    expect(table.match('www.example.com', '/')?.clusterId).toBe('www');
    expect(table.match('WWW.Example.COM:8443', '/shop/cart?x=1')?.clusterId).toBe('shop');
    expect(table.match('paris.eu.example.com', '/')?.clusterId).toBe('eu');
    expect(table.match('mail.example.com', '/')?.clusterId).toBe('wild');
    expect(table.match('example.org', '/')?.clusterId).toBe('any');
    expect(table.match(undefined, '/')?.clusterId).toBe('any');
  });

  it('falls through to a less specific host when the path does not match', () => {
    const narrow = new RouteTable([
      { host: 'a.local', path: '/api/', cluster: 'api' },
      { host: '*', path: '/', cluster: 'web' },
    ]);
    expect(narrow.match('a.local', '/home')?.clusterId).toBe('web');
    expect(new RouteTable([{ host: 'a.local', path: '/', cluster: 'x' }]).match('b.local', '/')).toBeUndefined();
  });

  it('normalizes hosts', () => {
    expect(normalizeHost('[::1]:8080')).toBe('[::1]');
    expect(normalizeHost('Example.com.')).toBe('example.com');
  });
});

describe('SessionCookieCodec', () => {
  const codec = new SessionCookieCodec(randomBytes(32));

  it('round-trips and refuses any change to server, session or cluster', () => {
    const id = codec.newSessionId();
    const value = codec.encode('web', 'v1', id);
    expect(codec.decode('web', value)).toEqual({ serverId: 'v1', sessionId: id });
    expect(codec.decode('other', value)).toBeUndefined();
    expect(codec.decode('web', value.replace('v1.', 'v2.'))).toBeUndefined();
    const [, , mac] = value.split('.');
    expect(codec.decode('web', `v1.${codec.newSessionId()}.${mac}`)).toBeUndefined();
    expect(new SessionCookieCodec(randomBytes(32)).decode('web', value)).toBeUndefined();
  });

  it('reads one cookie out of a header', () => {
    expect(readCookie('a=1; sb-web=x.y.z; b=2', 'sb-web')).toBe('x.y.z');
    expect(readCookie('xsb-web=1; sb-web=2', 'sb-web')).toBe('2');
    expect(readCookie('sb-webx=1', 'sb-web')).toBeUndefined();
    expect(readCookie(undefined, 'sb-web')).toBeUndefined();
  });
});

describe('balancers', () => {
  it('least sessions compares relative to capacity', () => {
    const pick = new LeastSessionsBalancer().pick([
      { id: 'a', capacity: 100, sessions: 10 },
      { id: 'b', capacity: 10, sessions: 2 },
    ]);
    expect(pick?.id).toBe('a');
  });

  it('smooth round-robin interleaves by weight', () => {
    const rr = new SmoothRoundRobinBalancer();
    const servers = [{ id: 'a', capacity: 5, sessions: 0 }, { id: 'b', capacity: 1, sessions: 0 }, { id: 'c', capacity: 1, sessions: 0 }];
    const order = Array.from({ length: 7 }, () => rr.pick(servers)!.id).join('');
    expect(order).toBe('aabacaa');
  });

  it('picks nothing from no candidates', () => {
    expect(new LeastSessionsBalancer().pick([])).toBeUndefined();
    expect(new SmoothRoundRobinBalancer().pick([])).toBeUndefined();
  });
});
