/** The words for a server's error answers of the last minutes: a rate, then who made them. */
import type { ErrorWindow } from '../../proxy/control/control-api.js';
import { formatCount } from './format.js';

export interface ErrorSummary {
  /** Error answers (4xx and 5xx of either kind) in the window. */
  total: number;
  /** "2.5% errors in 5 min", or "No errors in 5 min". */
  rate: string;
  /** "backend 4xx 2 · 5xx 1 · gateway 502 1", only the classes that occurred; empty without errors. */
  classes: string;
}

export function summarizeErrors(window: ErrorWindow): ErrorSummary {
  const minutes = Math.round(window.windowSec / 60);
  const backend = [
    ['4xx', window.backend4xx],
    ['5xx', window.backend5xx],
  ] as const;
  const gateway = [
    ['502', window.gateway502],
    ['503', window.gateway503],
    ['504', window.gateway504],
  ] as const;
  const total = [...backend, ...gateway].reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return { total, rate: `No errors in ${minutes} min`, classes: '' };
  const share = window.requests > 0 ? (total / window.requests) * 100 : 100;
  const percent = share >= 10 ? Math.round(share).toString() : share.toFixed(1);
  const part = (label: string, counts: readonly (readonly [string, number])[]) => {
    const seen = counts.filter(([, count]) => count > 0).map(([status, count]) => `${status} ${formatCount(count)}`);
    return seen.length === 0 ? null : `${label} ${seen.join(' · ')}`;
  };
  const classes = [part('backend', backend), part('gateway', gateway)].filter(Boolean).join(' · ');
  return { total, rate: `${percent}% errors in ${minutes} min`, classes };
}
