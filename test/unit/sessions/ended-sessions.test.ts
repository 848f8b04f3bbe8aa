import { describe, expect, it } from 'vitest';
import { EndedSessions } from '../../../proxy/sessions/ended-sessions.js';

describe('ended sessions', () => {
  it('remembers an ended session until its cookie could not come back anyway, per cluster', () => {
    const ended = new EndedSessions();
    ended.add('web', 'abc', 5000, 1000);
    expect(ended.has('web', 'abc', 4999)).toBe(true);
    expect(ended.has('wiki', 'abc', 4999)).toBe(false);
    expect(ended.has('web', 'abd', 4999)).toBe(false);
    expect(ended.has('web', 'abc', 5000)).toBe(false);
  });

  it('forgets what has passed when it learns something new', () => {
    const ended = new EndedSessions();
    ended.add('web', 'old', 2000, 1000);
    ended.add('web', 'new', 9000, 3000);
    expect(ended.has('web', 'old', 1500)).toBe(false);
    expect(ended.has('web', 'new', 3000)).toBe(true);
  });
});
