/** Ids are slugs: lower-case letters, digits and dashes, 1–40 characters. */

export function slugify(text: string, fallback: string): string {
  const slug = text
    .normalize('NFKD')
    // NFKD splits "é" into "e" and a combining accent; dropping the accents keeps the letters.
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32)
    .replace(/-+$/, '');
  return slug || fallback;
}

/** A slug of `text` that is not in `taken`: `app`, then `app-2`, `app-3`… */
export function uniqueSlug(text: string, taken: ReadonlySet<string>, fallback: string): string {
  const base = slugify(text, fallback);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
