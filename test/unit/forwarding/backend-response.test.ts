/** How a backend's repeated headers are merged before the gateway relays them. */
import { describe, expect, it } from 'vitest';
import { mergeRepeatedHeaders } from '../../../proxy/forwarding/backend-response.js';

describe('mergeRepeatedHeaders', () => {
  it('keeps every Set-Cookie as a list, a single one too', () => {
    expect(mergeRepeatedHeaders({ 'set-cookie': 'a=1' })['set-cookie']).toEqual(['a=1']);
    expect(mergeRepeatedHeaders({ 'set-cookie': ['a=1', 'b=2'] })['set-cookie']).toEqual(['a=1', 'b=2']);
  });

  it('keeps the first of a header that cannot be repeated, and joins the others with commas', () => {
    const headers = mergeRepeatedHeaders({
      location: ['/first', '/second'],
      'content-length': ['5', '5'],
      vary: ['Accept', 'Origin'],
      'cache-control': ['no-store', 'private'],
      'content-type': 'text/html',
    });
    expect(headers).toEqual({ location: '/first', 'content-length': '5', vary: 'Accept, Origin', 'cache-control': 'no-store, private', 'content-type': 'text/html' });
  });
});
