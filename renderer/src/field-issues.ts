/**
 * Places the API's validation issues next to the form fields they name. The API names fields
 * by their place in the whole config (`clusters[0].servers[1].url`) or, for one server, just
 * `url`; a form knows only its own fields, so the leading cluster/server part is dropped.
 */
import type { FieldIssue } from './control-client-error.js';
import { capitalize } from './format.js';

export interface PlacedIssues {
  byField: Record<string, string>;
  /** Issues that name no field of this form, shown above it. */
  general: string[];
}

const OWNER_PREFIX = /^(?:clusters\[\d+\]\.?)?(?:servers\[\d+\]\.?)?/;

export function placeIssues(issues: FieldIssue[], fields: readonly string[]): PlacedIssues {
  const byField: Record<string, string> = {};
  const general: string[] = [];
  for (const issue of issues) {
    const field = issue.path.replace(OWNER_PREFIX, '');
    if (fields.includes(field)) {
      byField[field] = byField[field] ? `${byField[field]}; ${issue.message}` : capitalize(issue.message);
    } else {
      general.push(issue.path ? `${issue.path} ${issue.message}` : capitalize(issue.message));
    }
  }
  return { byField, general };
}
