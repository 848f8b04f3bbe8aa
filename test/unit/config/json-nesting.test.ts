/** nestingBeyond: the depth guard that keeps deeply nested JSON away from recursive code. */
import { describe, expect, it } from 'vitest';
import { nestingBeyond } from '../../../proxy/config/json-nesting.js';

describe('nestingBeyond', () => {
  it('accepts a document nested exactly to the limit', () => {
    expect(nestingBeyond('{"a":[{"b":[]}]}', 4)).toBeNull();
    expect(nestingBeyond('[]', 1)).toBeNull();
    expect(nestingBeyond('42', 0)).toBeNull();
  });

  it('points at the bracket that opens the first level beyond the limit', () => {
    expect(nestingBeyond('{"a":[{"b":[]}]}', 3)).toBe(11);
    expect(nestingBeyond('[[[', 2)).toBe(2);
    expect(nestingBeyond('[]', 0)).toBe(0);
  });

  it('counts depth, not brackets: siblings do not add up', () => {
    expect(nestingBeyond('[[],[],[],{},{}]', 2)).toBeNull();
    expect(nestingBeyond('{"a":{},"b":{},"c":{"d":{}}}', 2)).toBe(24);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(nestingBeyond('{"a":"[[[[{{{{"}', 1)).toBeNull();
    expect(nestingBeyond('["\\"[[[", "\\\\"]', 1)).toBeNull();
    // After an escaped backslash the quote really ends the string, so the bracket after it counts.
    expect(nestingBeyond('["\\\\", [1]]', 1)).toBe(7);
  });

  it('finds a hundred thousand levels without recursion', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(nestingBeyond(deep, 64)).toBe(64);
    expect(nestingBeyond(deep, 100_000)).toBeNull();
  });
});
