/** A failed control call, in the terms the dashboard shows to the admin. */
export interface FieldIssue {
  /** Field path such as `clusters[0].servers[1].url`, or `url` for a single-server call. */
  path: string;
  message: string;
}

export type ControlFailure = 'invalid' | 'not-found' | 'unauthorized' | 'unreachable' | 'failed';

export class ControlClientError extends Error {
  readonly kind: ControlFailure;
  readonly issues: FieldIssue[];

  constructor(kind: ControlFailure, message: string, issues: FieldIssue[] = []) {
    super(message);
    this.name = 'ControlClientError';
    this.kind = kind;
    this.issues = issues;
  }
}

/** Field issues of any error a control call rejected with; none for other failures. */
export function issuesOf(error: unknown): FieldIssue[] {
  if (error instanceof ControlClientError) return error.issues;
  const candidate = (error as { issues?: unknown } | null)?.issues;
  if (!Array.isArray(candidate)) return [];
  return candidate.filter(
    (issue): issue is FieldIssue =>
      typeof issue === 'object' && issue !== null && typeof issue.path === 'string' && typeof issue.message === 'string',
  );
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) return cleanIpcPrefix(error.message);
  return String(error);
}

/** Electron prefixes errors crossing IPC with "Error invoking remote method 'x': Error: ". */
function cleanIpcPrefix(message: string): string {
  return message.replace(/^Error invoking remote method '[^']*': (?:\w*Error: )?/, '');
}
