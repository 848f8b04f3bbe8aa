import { describe, expect, it } from 'vitest';
import type { ListenerConfig } from '../../proxy/control/control-api.js';
import { draftOfListener, linesOf, listenerOfDraft, newListenerDraft } from '../../renderer/src/listener-draft.js';

describe('listener drafts', () => {
  it('round-trips a PFX listener, keeping SNI certificates and HTTP/2 the form does not show', () => {
    const listener: ListenerConfig = {
      port: 443,
      host: '0.0.0.0',
      tls: {
        pfxPath: 'certs\\intranet.pfx',
        passphrase: 'secret',
        sni: [{ hostnames: ['wiki.corp.local'], certPath: 'certs\\wiki.crt', keyPath: 'certs\\wiki.key' }],
        http2: true,
      },
    };
    const draft = draftOfListener(listener);
    expect(draft.security).toBe('pfx');
    expect(listenerOfDraft(draft)).toEqual(listener);
  });

  it('turns a PEM choice into certPath and keyPath only, without an empty passphrase', () => {
    const draft = { ...newListenerDraft([]), security: 'pem' as const, certPath: ' a.crt ', keyPath: 'a.key', pfxPath: 'left-over.pfx' };
    expect(listenerOfDraft(draft)).toEqual({ port: 8443, host: '0.0.0.0', tls: { certPath: 'a.crt', keyPath: 'a.key' } });
  });

  it('sends a redirect only for a plain listener that asks for one', () => {
    const plain = { ...newListenerDraft([]), port: '8080', security: 'http' as const, redirect: true, redirectPort: '8443' };
    expect(listenerOfDraft(plain)).toEqual({ port: 8080, host: '0.0.0.0', redirectToHttps: { port: 8443 } });
    expect(listenerOfDraft({ ...plain, redirect: false })).toEqual({ port: 8080, host: '0.0.0.0' });
  });

  it('sends a port that is not a number as typed, for the gateway to explain', () => {
    const draft = { ...newListenerDraft([]), port: 'eighty', security: 'http' as const };
    expect(listenerOfDraft(draft).port).toBe('eighty');
  });

  it('proposes a port no listener uses yet', () => {
    const taken = [{ port: 8443, host: '0.0.0.0' }, { port: 8444, host: '0.0.0.0' }] as ListenerConfig[];
    expect(newListenerDraft(taken).port).toBe('8445');
  });

  it('reads one entry per line, ignoring blank lines and spaces', () => {
    expect(linesOf(' 10.0.0.0/8\r\n\n  fd00::/8 \n')).toEqual(['10.0.0.0/8', 'fd00::/8']);
  });
});
