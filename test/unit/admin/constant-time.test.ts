/** secretsMatch: token comparison whatever the lengths. */
import { describe, expect, it } from 'vitest';
import { secretsMatch } from '../../../proxy/admin/constant-time.js';

describe('secretsMatch', () => {
  it('matches only the same secret, whatever the lengths involved', () => {
    const token = 'admin-token-0123456789abcdef';
    expect(secretsMatch(token, token)).toBe(true);
    expect(secretsMatch(token.slice(0, -1), token)).toBe(false);
    expect(secretsMatch(token + 'x', token)).toBe(false);
    expect(secretsMatch('', token)).toBe(false);
    expect(secretsMatch(token.toUpperCase(), token)).toBe(false);
    expect(secretsMatch('é', 'e\u0301')).toBe(false);
  });
});
