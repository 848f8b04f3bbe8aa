/** Secret comparison that takes the same time whether the guess is close or not. */
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares digests rather than the strings themselves: `timingSafeEqual` needs equal lengths,
 * and hashing first keeps the length of the real token from leaking through an early return.
 */
export function secretsMatch(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}
