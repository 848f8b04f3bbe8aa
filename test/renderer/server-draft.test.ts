/** The server form's draft: starts from the schema's defaults and sends only what changed. */
import { describe, expect, it } from 'vitest';
import { serverSchema } from '../../proxy/config/config-schema.js';
import { draftOfServer, newServerDraft, serverInputOfDraft, serverPatchOfDraft } from '../../renderer/src/server-draft.js';

const existing = { name: 'App 1.0', url: 'https://10.0.0.5', capacity: 60, enabled: true };
const FINGERPRINT = Array(32).fill('AB').join(':');

describe('server draft', () => {
  it('makes a new server, left as the form shows it, into the server the gateway makes from a name and URL alone', () => {
    const draft = { ...newServerDraft(), name: 'App 1.1', url: 'http://10.0.0.6:8080' };
    const minimal = { id: 'v2', name: 'App 1.1', url: 'http://10.0.0.6:8080' };
    expect(serverSchema.parse({ id: 'v2', ...serverInputOfDraft(draft) })).toEqual(serverSchema.parse(minimal));
  });

  it('sends the fingerprint of an https:// server only, and a typed capacity that is not a number as typed', () => {
    expect(serverInputOfDraft({ ...newServerDraft(), name: 'a', url: 'https://a', fingerprint: ` ${FINGERPRINT} ` }).tlsFingerprint).toBe(FINGERPRINT);
    expect(serverInputOfDraft({ ...newServerDraft(), name: 'a', url: 'http://a', fingerprint: FINGERPRINT })).not.toHaveProperty('tlsFingerprint');
    expect(serverInputOfDraft({ ...newServerDraft(), capacity: 'lots' }).capacity).toBe('lots');
  });

  it('patches only what changed, and the fingerprint only once the stored one is known', () => {
    const draft = draftOfServer(existing);
    expect(serverPatchOfDraft(draft, existing, '')).toEqual({});
    expect(serverPatchOfDraft({ ...draft, capacity: '0', fingerprint: FINGERPRINT }, existing, null)).toEqual({ capacity: 0 });
    expect(serverPatchOfDraft({ ...draft, fingerprint: FINGERPRINT }, existing, '')).toEqual({ tlsFingerprint: FINGERPRINT });
    expect(serverPatchOfDraft({ ...draft, fingerprint: '' }, existing, FINGERPRINT)).toEqual({ tlsFingerprint: null });
  });
});
