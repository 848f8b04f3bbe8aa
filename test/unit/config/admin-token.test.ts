/** The admin token must be a real secret: long, not a placeholder, generated when missing. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adminTokenProblem } from '../../../proxy/config/admin-token.js';
import { FileConfigStore, loadConfig } from '../../../proxy/config/config-store.js';
import { ConfigError, generateAdminToken, validateConfig } from '../../../proxy/config/config-validation.js';

function issuesFor(token: unknown): string[] {
  try {
    validateConfig({ admin: { token } });
    return [];
  } catch (error) {
    return (error as ConfigError).issues.map((issue) => `${issue.path} ${issue.message}`);
  }
}

describe('admin token', () => {
  it('refuses the README placeholder and short tokens, naming the field', () => {
    expect(issuesFor('generated-on-first-run')).toEqual([
      'admin.token must be at least 24 characters (remove the field and Switchboard generates a strong one)',
    ]);
    expect(issuesFor('changeme')[0]).toMatch(/^admin\.token must be at least 24 characters/);
    expect(issuesFor('x'.repeat(23))[0]).toMatch(/^admin\.token must be at least 24 characters/);
  });

  it('refuses long placeholders and repeated characters', () => {
    expect(issuesFor('changeme-changeme-changeme')).toEqual([
      'admin.token is a placeholder, not a secret (remove the field and Switchboard generates a strong one)',
    ]);
    expect(issuesFor('<your-admin-token-goes-here>')[0]).toMatch(/is a placeholder/);
    expect(issuesFor('REPLACE_ME_WITH_A_REAL_TOKEN_1234')[0]).toMatch(/is a placeholder/);
    expect(issuesFor('a'.repeat(40))).toEqual([
      'admin.token is a repeated pattern, not a secret (remove the field and Switchboard generates a strong one)',
    ]);
    expect(issuesFor('abc123'.repeat(5))[0]).toMatch(/is a repeated pattern/);
  });

  it('accepts generated tokens and the test suites’ tokens', () => {
    for (let i = 0; i < 200; i++) expect(adminTokenProblem(generateAdminToken())).toBeNull();
    for (const token of ['test-token-0123456789abcdef', 'admin-test-token-0123456789', 'headless-test-token-0123', 'desktop-token-0123456789']) {
      expect([token, adminTokenProblem(token)]).toEqual([token, null]);
    }
  });

  it('generates and saves a token when the file has none, keeping everything else', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sb-token-')), 'switchboard.json');
    writeFileSync(path, JSON.stringify({ admin: { port: 9191 }, listeners: [{ port: 8181 }] }));
    const loaded = loadConfig(new FileConfigStore(path));
    expect(loaded.generatedToken).toBe(true);
    expect(loaded.created).toBe(false);
    expect(adminTokenProblem(loaded.config.admin.token)).toBeNull();
    const saved = JSON.parse(readFileSync(path, 'utf8'));
    expect(saved.admin).toMatchObject({ port: 9191, token: loaded.config.admin.token });
    expect(saved.listeners[0].port).toBe(8181);
    // The next start keeps the token it was given.
    expect(loadConfig(new FileConfigStore(path))).toMatchObject({ generatedToken: false, config: { admin: { token: loaded.config.admin.token } } });
  });

  it('generates a token when the admin section is missing altogether', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sb-token-')), 'switchboard.json');
    writeFileSync(path, '{}');
    const loaded = loadConfig(new FileConfigStore(path));
    expect(loaded.generatedToken).toBe(true);
    expect(JSON.parse(readFileSync(path, 'utf8')).admin.token).toBe(loaded.config.admin.token);
  });

  it('does not write anything when the rest of the file is invalid', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sb-token-')), 'switchboard.json');
    const text = JSON.stringify({ listeners: [{ port: 0 }] });
    writeFileSync(path, text);
    expect(() => loadConfig(new FileConfigStore(path))).toThrow(ConfigError);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });
});
