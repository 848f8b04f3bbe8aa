import { describe, expect, it } from 'vitest';
import { hashWithoutServerTarget, parseServerTarget } from '../../renderer/src/server-target.js';

describe('server target in the address', () => {
  it('reads #server=<cluster>/<server>', () => {
    expect(parseServerTarget('#server=web/a')).toEqual({ clusterId: 'web', serverId: 'a' });
  });

  it('reads it next to a token, and decodes it', () => {
    expect(parseServerTarget('#token=abc&server=my%2Dweb/v%31')).toEqual({ clusterId: 'my-web', serverId: 'v1' });
  });

  it('ignores fragments without a whole target', () => {
    expect(parseServerTarget('')).toBeNull();
    expect(parseServerTarget('#server=web')).toBeNull();
    expect(parseServerTarget('#server=/a')).toBeNull();
    expect(parseServerTarget('#token=abc')).toBeNull();
  });

  it('takes only the server part out of the fragment', () => {
    expect(hashWithoutServerTarget('#server=web/a')).toBe('');
    expect(hashWithoutServerTarget('#token=abc&server=web/a')).toBe('#token=abc');
  });
});
