/** The server row's words for the last minutes' error answers. */
import { describe, expect, it } from 'vitest';
import { summarizeErrors } from '../../renderer/src/error-summary.js';

const none = { windowSec: 300, requests: 0, backend4xx: 0, backend5xx: 0, gateway502: 0, gateway503: 0, gateway504: 0 };

describe('summarizeErrors', () => {
  it('says there were none', () => {
    expect(summarizeErrors({ ...none, requests: 40 })).toEqual({ total: 0, rate: 'No errors in 5 min', classes: '' });
  });

  it("gives the share of requests and the backend's classes apart from the gateway's", () => {
    expect(summarizeErrors({ ...none, requests: 200, backend4xx: 2, backend5xx: 1, gateway502: 2 })).toEqual({
      total: 5,
      rate: '2.5% errors in 5 min',
      classes: 'backend 4xx 2 · 5xx 1 · gateway 502 2',
    });
    expect(summarizeErrors({ ...none, requests: 4, gateway504: 3 }).rate).toBe('75% errors in 5 min');
    expect(summarizeErrors({ ...none, requests: 4, gateway504: 3 }).classes).toBe('gateway 504 3');
  });
});
