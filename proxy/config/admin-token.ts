/**
 * What makes an admin token acceptable: long enough to resist guessing and not a placeholder
 * copied from an example (`generated-on-first-run`, `changeme`, `aaaa…`).
 */

const MIN_ADMIN_TOKEN_LENGTH = 24;

/** Words that mark a token as an example to be replaced, compared without case, digits or punctuation. */
const PLACEHOLDER_WORDS = ['generatedonfirstrun', 'changeme', 'replaceme', 'yourtoken', 'placeholder', 'example', 'goeshere', 'putyour', 'insert'];
const PLACEHOLDER_WHOLE = new Set(['token', 'admintoken', 'secret', 'password', 'test', 'xxx']);

/** Fewer different characters than this and a token is a pattern, not a secret. */
const MIN_DISTINCT_CHARACTERS = 8;

/** Why `token` is not acceptable (a message to follow the field name), or null when it is fine. */
export function adminTokenProblem(token: string): string | null {
  if (token.length < MIN_ADMIN_TOKEN_LENGTH) {
    return `must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters (remove the field and Switchboard generates a strong one)`;
  }
  const letters = token.toLowerCase().replace(/[^a-z]/g, '');
  const wrapped = /^[<{[].*[>}\]]$/.test(token);
  if (wrapped || PLACEHOLDER_WHOLE.has(letters) || PLACEHOLDER_WORDS.some((word) => letters.includes(word))) {
    return 'is a placeholder, not a secret (remove the field and Switchboard generates a strong one)';
  }
  if (new Set(token).size < MIN_DISTINCT_CHARACTERS || /^(.{1,12})\1+$/s.test(token)) {
    return 'is a repeated pattern, not a secret (remove the field and Switchboard generates a strong one)';
  }
  return null;
}
