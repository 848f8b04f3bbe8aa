/**
 * The web console's access token. It arrives once in the address (`/#token=…`), moves to
 * sessionStorage so that it dies with the tab, and leaves the address bar and history at once.
 */
const STORAGE_KEY = 'switchboard.adminToken';

export function takeTokenFromAddress(): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (!match?.[1]) return null;
  const token = safeDecode(match[1]).trim();
  // Other requests in the fragment (`server=…`) stay for whoever reads them.
  const rest = window.location.hash
    .replace(/^#/, '')
    .split('&')
    .filter((part) => part !== '' && !part.startsWith('token='));
  const hash = rest.length > 0 ? `#${rest.join('&')}` : '';
  window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search + hash);
  if (!token) return null;
  saveToken(token);
  return token;
}

export function storedToken(): string | null {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function saveToken(token: string): void {
  try {
    window.sessionStorage.setItem(STORAGE_KEY, token);
  } catch {
    // Storage may be disabled; the token then lasts as long as the page.
  }
}

export function forgetToken(): void {
  try {
    window.sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing was stored.
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
