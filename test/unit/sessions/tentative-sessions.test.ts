import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SessionCookieCodec } from '../../../proxy/sessions/session-cookie.js';
import { TentativeSessions } from '../../../proxy/sessions/tentative-sessions.js';

describe('tentative session cookies', () => {
  const codec = new SessionCookieCodec(randomBytes(32));
  const issuedAt = Date.UTC(2026, 0, 2, 3, 4, 5);

  it('carry when they were issued, under the mac', () => {
    const id = codec.newSessionId();
    const value = codec.encode('web', 'v1', id, issuedAt + 678);
    expect(value.split('.')).toHaveLength(4);
    expect(codec.decode('web', value)).toEqual({ serverId: 'v1', sessionId: id, issuedAt });
    const [server, session, issued, mac] = value.split('.');
    const later = (parseInt(issued!, 36) + 3600).toString(36);
    expect(codec.decode('web', `${server}.${session}.${later}.${mac}`)).toBeUndefined();
    expect(codec.decode('web', `${server}.${session}.${mac}`)).toBeUndefined();
    expect(codec.decode('web', `${server}.${session}.-1.${mac}`)).toBeUndefined();
    expect(codec.decode('other', value)).toBeUndefined();
  });

  it('leave the cookies of stored sessions as they were', () => {
    const id = codec.newSessionId();
    expect(codec.decode('web', codec.encode('web', 'v1', id))).toEqual({ serverId: 'v1', sessionId: id });
  });
});

describe('TentativeSessions', () => {
  it('counts sessions issued within the window, forgets older ones, and drops confirmed ones', () => {
    const tentative = new TentativeSessions(60);
    const start = 1_000_000_000;
    for (let i = 0; i < 5; i++) tentative.add(start + i * 1000);
    expect(tentative.count(start + 4000)).toBe(5);
    tentative.confirmed(start + 2000);
    expect(tentative.count(start + 4000)).toBe(4);
    // The first (issued at `start`) leaves the window 60 s later, the last at start + 64 s.
    expect(tentative.count(start + 60_000)).toBe(3);
    expect(tentative.count(start + 64_000)).toBe(0);
    expect(tentative.withinWindow(start, start + 59_999)).toBe(true);
    expect(tentative.withinWindow(start, start + 60_000)).toBe(false);
    // A slot reused a window later starts from zero.
    tentative.add(start + 120_000);
    expect(tentative.count(start + 120_000)).toBe(1);
  });
});
