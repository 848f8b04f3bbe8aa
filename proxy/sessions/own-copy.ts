/**
 * A string that owns its characters. A substring (of a Cookie header, of a saved-sessions file) can
 * keep the whole text it was cut from alive; a key stored for hours must not hold on to that.
 */
export function ownCopy(text: string): string {
  // V8 shares the characters of substrings of 13 or more; shorter ones are copies already.
  return text.length < 13 ? text : (JSON.parse(JSON.stringify(text)) as string);
}
