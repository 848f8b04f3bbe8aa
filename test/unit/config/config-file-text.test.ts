/** Config files as Windows tools save them, and JSON syntax errors an admin can find. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeConfigBytes, firstSyntaxErrorAt, parseConfigText } from '../../../proxy/config/config-file-text.js';
import { FileConfigStore, loadOrCreateConfig } from '../../../proxy/config/config-store.js';
import { ConfigError } from '../../../proxy/config/config-validation.js';
import { TEST_TOKEN } from '../../support/gateway-harness.js';

const document = { admin: { token: TEST_TOKEN, port: 9191 } };

function messageOf(text: string): string {
  try {
    parseConfigText(text, 'C:\\Switchboard\\switchboard.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('config file text', () => {
  it('accepts UTF-8 with a byte order mark (PowerShell 5.1 -Encoding UTF8) and UTF-16 (Out-File)', () => {
    const json = JSON.stringify(document, null, 2);
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]);
    expect(parseConfigText(decodeConfigBytes(withBom), 'x')).toEqual(document);
    const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]);
    expect(parseConfigText(decodeConfigBytes(utf16le), 'x')).toEqual(document);
    const utf16be = Buffer.from(utf16le.subarray(2)).swap16();
    expect(parseConfigText(decodeConfigBytes(Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be])), 'x')).toEqual(document);
  });

  it('loads, and later rewrites, a config file saved with a byte order mark', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sb-bom-')), 'switchboard.json');
    writeFileSync(path, `\uFEFF${JSON.stringify(document)}`);
    const store = new FileConfigStore(path);
    const config = loadOrCreateConfig(store);
    expect(config.admin.port).toBe(9191);
    store.write({ ...config, admin: { ...config.admin, port: 9292 } });
    expect(loadOrCreateConfig(store).admin.port).toBe(9292);
  });

  it('reports a syntax error as line and column, with the line and a caret', () => {
    const text = '{\n  "admin": {\n    ]\n  }\n}\n';
    const message = messageOf(text);
    expect(message).toContain('C:\\Switchboard\\switchboard.json is not valid JSON: line 3, column 5: ');
    expect(message).toContain('\n  3 |     ]\n    |     ^');
    expect(message).not.toMatch(/position/);
  });

  it('points at the spot for Node’s "Unexpected token" messages too', () => {
    expect(messageOf('{\n  "listeners": [],\n  "admin": { "port": , "token": "x" }\n}')).toContain("line 3, column 22: Unexpected token ','\n");
    expect(messageOf('{"a": tru}')).toContain('line 1, column 10');
    expect(messageOf('{ "admin": ')).toContain('line 1, column 11: Unexpected end of JSON input');
  });

  it('hints at doubling single backslashes in Windows paths', () => {
    const message = messageOf('{\n  "logs": { "directory": "D:\\Switchboard\\logs" }\n}');
    expect(message).toContain('line 2, column 30');
    expect(message).toContain('use \\\\ or / in Windows paths');
    expect(messageOf('{ "a": "D:\\\\ok", }')).not.toContain('Windows paths');
  });

  it('refuses absurd nesting before parsing, saying where', () => {
    const message = messageOf(`{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    expect(message).toContain('nests deeper than 64 levels (at line 1, column 69)');
  });

  it('finds the first error the way a strict reader does', () => {
    expect(firstSyntaxErrorAt('[1, 2,]')).toBe(6);
    expect(firstSyntaxErrorAt('{"a": "b\\x"}')).toBe(9);
    expect(firstSyntaxErrorAt('{"a": 1} x')).toBe(9);
    expect(firstSyntaxErrorAt('{"a": [true, false, null, -1.5e3, "\\u00e9"]}')).toBeNull();
  });
});
