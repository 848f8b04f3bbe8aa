/**
 * Which server to bring into view and highlight, from `#server=<cluster>/<server>` when the page
 * loads and on every later `hashchange`. The highlight lasts a few seconds, counted from when the
 * dashboard has rows to show.
 */
import { useEffect, useState } from 'react';
import { hashWithoutServerTarget, parseServerTarget, type ServerTarget } from './server-target.js';

const HIGHLIGHT_MS = 4000;

export interface HighlightRequest extends ServerTarget {
  /** Tells two requests for the same server apart, so that the second one highlights again. */
  requestedAt: number;
}

export function useServerTarget(ready: boolean): HighlightRequest | null {
  // Read without changing the address: React may call an initializer twice.
  const [target, setTarget] = useState<HighlightRequest | null>(() => {
    const initial = parseServerTarget(window.location.hash);
    return initial ? { ...initial, requestedAt: Date.now() } : null;
  });

  useEffect(() => {
    takeServerTargetFromAddress();
    const onHashChange = () => {
      const next = requestFromAddress();
      if (next) setTarget(next);
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  useEffect(() => {
    if (!target || !ready) return undefined;
    const timer = window.setTimeout(() => setTarget(null), HIGHLIGHT_MS);
    return () => window.clearTimeout(timer);
  }, [target, ready]);

  return target;
}

function requestFromAddress(): HighlightRequest | null {
  const target = takeServerTargetFromAddress();
  return target ? { ...target, requestedAt: Date.now() } : null;
}

/** Reads the target and takes it out of the address, so that asking for it again is a new `hashchange`. */
function takeServerTargetFromAddress(): ServerTarget | null {
  const target = parseServerTarget(window.location.hash);
  if (target) {
    const hash = hashWithoutServerTarget(window.location.hash);
    window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search + hash);
  }
  return target;
}
