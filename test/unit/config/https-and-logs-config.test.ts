/** The config fields for HTTPS, backends, compression, access rules and logs: defaults and messages. */
import { describe, expect, it } from 'vitest';
import { ConfigError, validateConfig } from '../../../proxy/config/config-validation.js';

const base = { admin: { token: 'a-long-enough-admin-token' } };

function issuesOf(raw: object): { path: string; message: string }[] {
  try {
    validateConfig({ ...base, ...raw });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  return [];
}

describe('config fields for HTTPS and logs', () => {
  it('refuses a redirect on the HTTPS listener itself', () => {
    expect(issuesOf({ listeners: [{ port: 443, tls: { pfxPath: 'a.pfx' }, redirectToHttps: { port: 443 } }] })).toEqual([
      { path: 'listeners[0].redirectToHttps', message: 'must not be set on an HTTPS listener (it is for the plain-HTTP one)' },
    ]);
  });

  it('fills defaults: logs off except the event log, no access rule, no trusted proxies', () => {
    const config = validateConfig({ ...base, clusters: [{ name: 'Web' }] });
    expect(config.logs).toEqual({ accessLog: { enabled: false, retentionDays: 30 }, eventLog: { enabled: true, retentionDays: 30 } });
    expect(config.trustedProxies).toEqual([]);
    expect(config.access).toBeUndefined();
    expect(config.clusters[0]!.hostHeader).toEqual({ mode: 'keep' });
    expect(config.clusters[0]!.compression).toEqual({
      enabled: false,
      minBytes: 1024,
      types: ['text/*', 'application/json', 'application/javascript', 'application/xml', 'image/svg+xml'],
    });
  });

  it('accepts a full HTTPS, access and logs setup', () => {
    const config = validateConfig({
      ...base,
      listeners: [
        { port: 80, redirectToHttps: { port: 443 } },
        {
          port: 443,
          tls: { pfxPath: 'site.pfx', passphrase: 'x', http2: true, sni: [{ hostnames: ['*.corp.local', 'shop.example.com'], certPath: 'a.crt', keyPath: 'a.key' }] },
        },
      ],
      access: { mode: 'deny', addresses: ['203.0.113.0/24', '2001:db8::/32'] },
      trustedProxies: ['10.0.0.10', '::ffff:10.0.0.0/104'],
      routes: [{ host: '*', path: '/admin', cluster: 'web', access: { mode: 'allow', addresses: ['10.0.0.0/8'], action: 'close' } }],
      clusters: [
        {
          id: 'web',
          name: 'Web',
          hostHeader: { mode: 'fixed', value: 'app01.corp.local:8443' },
          compression: { enabled: true },
          servers: [{ id: 'v1', name: 'v1', url: 'https://10.0.0.5', tlsFingerprint: `AB${':CD'.repeat(31)}` }],
        },
      ],
      logs: { directory: 'D:\\Logs\\Switchboard', accessLog: { enabled: true, retentionDays: 90 } },
    });
    expect(config.access?.action).toBe('403');
    expect(config.routes[0]!.access?.action).toBe('close');
    expect(config.logs.eventLog.enabled).toBe(true);
  });

  it('names each bad field in plain words', () => {
    expect(
      issuesOf({
        listeners: [{ port: 443, tls: { pfxPath: 'a.pfx', sni: [{ hostnames: [], pfxPath: 'b.pfx' }, { hostnames: ['bad host'], certPath: 'c.crt' }] } }, { port: 80, redirectToHttps: { port: 70000 } }],
        access: { mode: 'maybe', addresses: ['10.0.0.0/33'] },
        trustedProxies: ['proxy.corp.local'],
        clusters: [{ name: 'Web', hostHeader: { mode: 'fixed' }, compression: { minBytes: -1, types: ['html'] }, servers: [{ name: 's', url: 'https://x', tlsFingerprint: 'AB:CD' }] }],
        logs: { accessLog: { retentionDays: 0 }, colour: 'blue' },
      }),
    ).toEqual([
      { path: 'listeners[0].tls.sni[0].hostnames', message: 'must list at least one host name' },
      { path: 'listeners[0].tls.sni[1].hostnames[0]', message: 'must be a host name or *.domain' },
      { path: 'listeners[0].tls.sni[1]', message: 'needs either pfxPath (with passphrase) or both certPath and keyPath' },
      { path: 'listeners[1].redirectToHttps.port', message: 'must be 1–65535' },
      { path: 'clusters[0].hostHeader.value', message: 'needs a value when mode is "fixed"' },
      { path: 'clusters[0].compression.minBytes', message: 'must be 0 or more' },
      { path: 'clusters[0].compression.types[0]', message: 'must be a media type such as text/html or text/*' },
      { path: 'clusters[0].servers[0].tlsFingerprint', message: 'must be a SHA-256 fingerprint: 32 hex pairs separated by ":" (AA:BB:…)' },
      { path: 'access.mode', message: 'must be "allow" or "deny"' },
      { path: 'access.addresses[0]', message: 'must be an IP address or CIDR range such as 10.0.0.0/8 or fd00::/8' },
      { path: 'trustedProxies[0]', message: 'must be an IP address or CIDR range such as 10.0.0.0/8 or fd00::/8' },
      { path: 'logs.accessLog.retentionDays', message: 'must be 1–3650 days' },
      { path: 'logs', message: 'has unknown field "colour"' },
    ]);
  });
});
