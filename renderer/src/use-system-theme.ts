import { useSyncExternalStore } from 'react';
import { webDarkTheme, webLightTheme, type Theme } from '@fluentui/react-components';

const DARK_QUERY = '(prefers-color-scheme: dark)';

function subscribe(onChange: () => void): () => void {
  const query = window.matchMedia(DARK_QUERY);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

/** Light or dark, following Windows (or the browser) as it changes. */
export function useSystemTheme(): { theme: Theme; dark: boolean } {
  const dark = useSyncExternalStore(subscribe, () => window.matchMedia(DARK_QUERY).matches);
  return { theme: dark ? webDarkTheme : webLightTheme, dark };
}
