/** shownSessionId: how logs and session lists name a session. */
import { describe, expect, it } from 'vitest';
import { SHOWN_SESSION_ID_LENGTH, shownSessionId } from '../../../proxy/sessions/shown-session-id.js';

describe('shownSessionId', () => {
  it('cuts a cookie session id to its first characters', () => {
    expect(shownSessionId('cookie', 'AbCdEfGhIjKlMnOpQrStUv')).toBe('AbCdEfGh');
    expect(SHOWN_SESSION_ID_LENGTH).toBe(8);
  });

  it("shows a client-IP session's address whole, IPv4 or IPv6", () => {
    expect(shownSessionId('client-ip', '192.168.10.25')).toBe('192.168.10.25');
    expect(shownSessionId('client-ip', '2001:db8:10::25')).toBe('2001:db8:10::25');
  });
});
