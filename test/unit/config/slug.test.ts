/** Ids made from names: slugify and uniqueSlug. */
import { describe, expect, it } from 'vitest';
import { slugify, uniqueSlug } from '../../../proxy/config/slug.js';

describe('slugify', () => {
  it('keeps lower-case letters and digits, joining everything else into single dashes', () => {
    expect(slugify('Intranet App 2.0', 'x')).toBe('intranet-app-2-0');
    expect(slugify('  --Web__Shop!!  ', 'x')).toBe('web-shop');
  });

  it('cuts long names to 32 characters without a dash at the end', () => {
    const slug = slugify('a'.repeat(31) + ' b and more words', 'x');
    expect(slug).toBe('a'.repeat(31));
    expect(slugify('word '.repeat(20), 'x').length).toBeLessThanOrEqual(32);
    expect(slugify('word '.repeat(20), 'x')).not.toMatch(/-$/);
  });

  it('keeps accented letters as their base letter', () => {
    expect(slugify('Crème Brûlée Café', 'x')).toBe('creme-brulee-cafe');
    expect(slugify('Übersicht Zürich', 'x')).toBe('ubersicht-zurich');
  });

  it('falls back when nothing usable is left', () => {
    expect(slugify('日本語', 'cluster')).toBe('cluster');
    expect(slugify('---', 'server')).toBe('server');
  });
});

describe('uniqueSlug', () => {
  it('numbers a taken slug from 2 up, skipping numbers in use', () => {
    expect(uniqueSlug('App', new Set(), 'x')).toBe('app');
    expect(uniqueSlug('App', new Set(['app']), 'x')).toBe('app-2');
    expect(uniqueSlug('App', new Set(['app', 'app-2', 'app-3']), 'x')).toBe('app-4');
    expect(uniqueSlug('', new Set(['server']), 'server')).toBe('server-2');
  });
});
