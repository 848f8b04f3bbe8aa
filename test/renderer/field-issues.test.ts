import { describe, expect, it } from 'vitest';
import { placeIssues } from '../../renderer/src/field-issues.js';

describe('placeIssues', () => {
  it('puts a single-server issue next to its field', () => {
    const placed = placeIssues([{ path: 'url', message: 'must be an http:// or https:// URL' }], ['name', 'url']);
    expect(placed.byField).toEqual({ url: 'Must be an http:// or https:// URL' });
    expect(placed.general).toEqual([]);
  });

  it('drops the cluster and server part of a whole-config path', () => {
    const placed = placeIssues(
      [
        { path: 'clusters[0].servers[1].capacity', message: 'must be 0–100' },
        { path: 'clusters[2].healthCheck.intervalSec', message: 'must be at least 1 second' },
      ],
      ['capacity', 'healthCheck.intervalSec'],
    );
    expect(placed.byField).toEqual({ capacity: 'Must be 0–100', 'healthCheck.intervalSec': 'Must be at least 1 second' });
  });

  it('keeps issues about fields the form does not have above the form, with their full path', () => {
    const placed = placeIssues(
      [
        { path: 'routes[0].cluster', message: 'names no cluster' },
        { path: '', message: 'must be a JSON object' },
      ],
      ['name'],
    );
    expect(placed.byField).toEqual({});
    expect(placed.general).toEqual(['routes[0].cluster names no cluster', 'Must be a JSON object']);
  });

  it('joins two issues about the same field', () => {
    const placed = placeIssues(
      [
        { path: 'name', message: 'must not be empty' },
        { path: 'name', message: 'is a duplicate' },
      ],
      ['name'],
    );
    expect(placed.byField.name).toBe('Must not be empty; is a duplicate');
  });
});
