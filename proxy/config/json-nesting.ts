/**
 * How deeply a JSON text nests, measured on the text itself: JSON.parse copes with any depth, but
 * everything that walks the result recursively afterwards (validation, JSON.stringify, cloning)
 * overflows the stack on a document nested a hundred thousand levels deep.
 */

/** Index of the first bracket that opens level `limit + 1`, or null; brackets inside strings are not counted. */
export function nestingBeyond(text: string, limit: number): number | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return i;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return null;
}
