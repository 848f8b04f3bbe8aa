/**
 * The one error shape of the control contract, `{code, message, issues}`: thrown in-process as a
 * ControlError, sent over IPC as the plain object, and over HTTP as a status with
 * `{"error": message, "issues": [...]}`. Every transport turns what it receives back into a
 * ControlError, so the dashboard, the tray and scripts read failures the same way.
 */

/** One problem with one field: `capacity must be 0–100`; an empty path is the value as a whole. */
export interface FieldIssue {
  /** Field path such as `clusters[0].servers[1].capacity`, or `capacity` for a single-server call. */
  path: string;
  message: string;
}

/**
 * `invalid` (with field issues) and `not-found` come from the control API itself; `unauthorized`
 * when the admin token is refused; `forbidden` for a caller that may not control the gateway;
 * `unavailable` while the gateway is not running or cannot be reached; `internal` for anything else.
 */
export type ControlErrorCode = 'invalid' | 'not-found' | 'unauthorized' | 'forbidden' | 'unavailable' | 'internal';

/** What a failed control call carries across any transport. */
export interface ControlFailure {
  code: ControlErrorCode;
  message: string;
  issues: FieldIssue[];
}

export class ControlError extends Error implements ControlFailure {
  readonly code: ControlErrorCode;
  readonly issues: FieldIssue[];

  constructor(code: ControlErrorCode, message: string, issues: FieldIssue[] = []) {
    super(message);
    this.name = 'ControlError';
    this.code = code;
    this.issues = issues;
  }
}

/** `capacity must be 0–100; url is required`: issues as one line of text. */
export function describeIssues(issues: readonly FieldIssue[]): string {
  return issues.map((issue) => (issue.path ? `${issue.path} ${issue.message}` : issue.message)).join('; ');
}

/** An `invalid` error whose message lists its issues. */
export function invalid(issues: FieldIssue[]): ControlError {
  return new ControlError('invalid', describeIssues(issues), issues);
}

/** The plain, serializable failure of any error, for sending it over a transport. */
export function failureOf(error: unknown): ControlFailure {
  const revived = controlErrorOf(error);
  return { code: revived.code, message: revived.message, issues: revived.issues };
}

/**
 * Whatever a control call rejected with, as a ControlError: itself, a failure that crossed a
 * transport as a plain object, or any other error as `internal` with its own message.
 */
export function controlErrorOf(error: unknown): ControlError {
  if (error instanceof ControlError) return error;
  if (isFailure(error)) return new ControlError(error.code, error.message, error.issues.filter(isFieldIssue));
  if (error instanceof Error) return new ControlError('internal', error.message);
  const message = (error as { message?: unknown } | null)?.message;
  return new ControlError('internal', typeof message === 'string' ? message : String(error));
}

const HTTP_STATUS: Record<ControlErrorCode, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  internal: 500,
  unavailable: 503,
};

/** The HTTP status a failure is answered with. */
export function httpStatusOf(code: ControlErrorCode): number {
  return HTTP_STATUS[code];
}

/** The JSON body of a failure over HTTP, as the admin API documents it: issues only on 400. */
export function httpBodyOf(failure: ControlFailure): { error: string; issues?: FieldIssue[] } {
  return failure.code === 'invalid' ? { error: failure.message, issues: failure.issues } : { error: failure.message };
}

/** The failure an HTTP answer stands for; `fallback` is the message when the body has none. */
export function errorOfHttpAnswer(status: number, payload: unknown, fallback: string): ControlError {
  const record = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
  const message = typeof record.error === 'string' ? record.error : typeof payload === 'string' && payload ? payload : fallback;
  const issues = Array.isArray(record.issues) ? record.issues.filter(isFieldIssue) : [];
  return new ControlError(codeOfStatus(status), message, issues);
}

function codeOfStatus(status: number): ControlErrorCode {
  // A body too large or a wrong method is a bad request as much as a bad field is.
  if (status === 413 || status === 405) return 'invalid';
  return (Object.keys(HTTP_STATUS) as ControlErrorCode[]).find((code) => HTTP_STATUS[code] === status) ?? 'internal';
}

function isFailure(value: unknown): value is ControlFailure {
  const candidate = value as Partial<ControlFailure> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.code === 'string' &&
    Object.hasOwn(HTTP_STATUS, candidate.code) &&
    typeof candidate.message === 'string' &&
    Array.isArray(candidate.issues)
  );
}

function isFieldIssue(value: unknown): value is FieldIssue {
  const candidate = value as Partial<FieldIssue> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.path === 'string' && typeof candidate.message === 'string';
}
