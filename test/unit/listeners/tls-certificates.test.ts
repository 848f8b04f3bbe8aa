import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../proxy/config/config-validation.js';
import { listenerCertificates, loadListenerTls } from '../../../proxy/listeners/tls-certificates.js';
import { makeCertificate, makeLegacyPfx, type TestCertificate } from '../../support/test-certificates.js';

const DAY_MS = 24 * 3600 * 1000;
let dir: string;
let site: TestCertificate;
let other: TestCertificate;
let shortLived: TestCertificate;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-tls-'));
  site = makeCertificate(dir, { commonName: 'intranet.corp.local', dnsNames: ['intranet.corp.local'] });
  other = makeCertificate(dir, { commonName: 'other.corp.local', passphrase: 'other secret' });
  shortLived = makeCertificate(dir, { commonName: 'soon.corp.local', days: 5 });
  writeFileSync(join(dir, 'garbage.pfx'), 'this is not a certificate');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configErrorOf(action: () => unknown): ConfigError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const field = 'listeners[1].tls';

describe('loadListenerTls', () => {
  it('loads a PFX with its passphrase and describes the certificate', () => {
    const loaded = loadListenerTls({ pfxPath: 'intranet_corp_local.pfx', passphrase: site.passphrase }, { baseDir: dir, field });
    expect(loaded.certificates).toHaveLength(1);
    expect(loaded.certificates[0]!.subject).toBe('CN=intranet.corp.local');
    expect(loaded.certificates[0]!.fingerprint256).toBe(site.fingerprint256);
    expect(loaded.secureContextOptions.minVersion).toBe('TLSv1.2');
    expect(loaded.warnings).toEqual([]);
    expect(loaded.files).toEqual([site.pfxPath]);
    const [shown] = listenerCertificates(loaded);
    expect(shown).toMatchObject({ hostnames: [], subject: 'CN=intranet.corp.local', issuer: 'CN=intranet.corp.local', fingerprint256: site.fingerprint256 });
    expect(shown!.notAfter).toBeGreaterThan(Date.now() + 300 * DAY_MS);
  });

  it('loads a PEM certificate and key', () => {
    const loaded = loadListenerTls({ certPath: site.certPath, keyPath: site.keyPath }, { baseDir: dir, field });
    expect(loaded.certificates[0]!.subject).toBe('CN=intranet.corp.local');
    expect(loaded.files).toEqual([site.certPath, site.keyPath]);
  });

  it('names the missing file and its field', () => {
    const error = configErrorOf(() => loadListenerTls({ pfxPath: 'missing.pfx', passphrase: 'x' }, { baseDir: dir, field }));
    expect(error.issues[0]!.path).toBe('listeners[1].tls.pfxPath');
    expect(error.message).toMatch(/does not exist: .*missing\.pfx/);
  });

  it('says the passphrase is wrong', () => {
    const error = configErrorOf(() => loadListenerTls({ pfxPath: site.pfxPath, passphrase: 'wrong' }, { baseDir: dir, field }));
    expect(error.issues[0]).toEqual({ path: 'listeners[1].tls.passphrase', message: 'does not open the PFX file (wrong passphrase)' });
  });

  it('says a file that is no PFX is not one', () => {
    const error = configErrorOf(() => loadListenerTls({ pfxPath: 'garbage.pfx', passphrase: 'x' }, { baseDir: dir, field }));
    expect(error.issues[0]!.path).toBe('listeners[1].tls.pfxPath');
    expect(error.issues[0]!.message).toMatch(/^is not a valid PFX/);
  });

  it('explains how to fix a PFX with legacy RC2 encryption', () => {
    const legacy = join(dir, 'legacy.pfx');
    makeLegacyPfx(site, legacy);
    const error = configErrorOf(() => loadListenerTls({ pfxPath: legacy, passphrase: site.passphrase }, { baseDir: dir, field }));
    expect(error.issues[0]!.message).toMatch(/export the certificate again/);
  });

  it('says a key file given as certificate is not a certificate', () => {
    const error = configErrorOf(() => loadListenerTls({ certPath: site.keyPath, keyPath: site.keyPath }, { baseDir: dir, field }));
    expect(error.issues[0]!.path).toBe('listeners[1].tls.certPath');
    expect(error.issues[0]!.message).toMatch(/is not a PEM certificate/);
  });

  it('refuses a key that belongs to another certificate', () => {
    const error = configErrorOf(() => loadListenerTls({ certPath: site.certPath, keyPath: other.keyPath }, { baseDir: dir, field }));
    expect(error.issues[0]).toEqual({ path: 'listeners[1].tls.keyPath', message: 'does not belong to the certificate in certPath' });
  });

  it('refuses an expired certificate and says when it expired', () => {
    const later = new Date(Date.now() + 400 * DAY_MS);
    const error = configErrorOf(() => loadListenerTls({ pfxPath: site.pfxPath, passphrase: site.passphrase }, { baseDir: dir, field, now: later }));
    expect(error.issues[0]!.path).toBe('listeners[1].tls.pfxPath');
    expect(error.issues[0]!.message).toMatch(/^holds a certificate that expired on \d{4}-\d\d-\d\dT.*CN=intranet\.corp\.local/);
  });

  it('warns about a certificate that expires within 14 days', () => {
    const loaded = loadListenerTls({ certPath: shortLived.certPath, keyPath: shortLived.keyPath }, { baseDir: dir, field });
    expect(loaded.warnings).toHaveLength(1);
    expect(loaded.warnings[0]).toMatch(/^listeners\[1\]\.tls\.certPath: certificate CN=soon\.corp\.local expires on .* \(in 5 days\)/);
  });

  it('names the SNI entry whose file is bad', () => {
    const error = configErrorOf(() =>
      loadListenerTls(
        { pfxPath: site.pfxPath, passphrase: site.passphrase, sni: [{ hostnames: ['other.corp.local'], pfxPath: other.pfxPath, passphrase: 'nope' }] },
        { baseDir: dir, field },
      ),
    );
    expect(error.issues[0]!.path).toBe('listeners[1].tls.sni[0].passphrase');
  });

  it('warns when an SNI certificate does not cover its host names', () => {
    const loaded = loadListenerTls(
      { pfxPath: site.pfxPath, passphrase: site.passphrase, sni: [{ hostnames: ['*.shop.local'], pfxPath: other.pfxPath, passphrase: other.passphrase }] },
      { baseDir: dir, field },
    );
    expect(loaded.certificates.map((c) => c.subject)).toEqual(['CN=intranet.corp.local', 'CN=other.corp.local']);
    expect(loaded.warnings.join('\n')).toMatch(/sni\[0\]\.pfxPath: certificate CN=other\.corp\.local does not cover host name "\*\.shop\.local"/);
  });

  it('resolves relative paths against the base folder', () => {
    const sub = mkdtempSync(join(dir, 'conf-'));
    copyFileSync(site.pfxPath, join(sub, 'site.pfx'));
    const loaded = loadListenerTls({ pfxPath: 'site.pfx', passphrase: site.passphrase }, { baseDir: sub, field });
    expect(loaded.files).toEqual([join(sub, 'site.pfx')]);
  });
});
