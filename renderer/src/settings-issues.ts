/**
 * Places the API's validation issues of a settings change next to the fields of one part of the
 * settings. Settings issues name fields by their place in the whole config (`listeners[1].tls.pfxPath`,
 * `access.addresses[2]`); a form shows only the part under `prefix`. An issue about one line of a
 * list field (`addresses[2]`) goes next to that list, saying which line.
 */
import type { FieldIssue } from './control-client-error.js';
import type { PlacedIssues } from './field-issues.js';
import { capitalize } from './format.js';

const LIST_ITEM = /^(.*)\[(\d+)\]$/;

export function placeSettingsIssues(issues: FieldIssue[], prefix: string, fields: readonly string[]): PlacedIssues {
  const byField: Record<string, string> = {};
  const general: string[] = [];
  const add = (field: string, message: string) => {
    byField[field] = byField[field] ? `${byField[field]}; ${message}` : capitalize(message);
  };
  for (const issue of issues) {
    const relative = relativePath(issue.path, prefix);
    if (relative !== null && fields.includes(relative)) {
      add(relative, issue.message);
      continue;
    }
    const item = relative === null ? null : LIST_ITEM.exec(relative);
    if (item?.[1] !== undefined && fields.includes(item[1])) {
      add(item[1], `line ${Number(item[2]) + 1} ${issue.message}`);
      continue;
    }
    general.push(issue.path ? `${issue.path} ${issue.message}` : capitalize(issue.message));
  }
  return { byField, general };
}

function relativePath(path: string, prefix: string): string | null {
  if (prefix === '') return path;
  if (path === prefix) return '';
  if (path.startsWith(`${prefix}.`)) return path.slice(prefix.length + 1);
  return null;
}
