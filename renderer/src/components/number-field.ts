/**
 * A number typed into a field. Text that is not a number is sent as it is, so that the gateway's
 * validation (the one source of the rules) explains what is wrong with it.
 */
export function numberOrText(text: string): number | string {
  const trimmed = text.trim();
  if (trimmed !== '' && Number.isFinite(Number(trimmed))) return Number(trimmed);
  return trimmed;
}
