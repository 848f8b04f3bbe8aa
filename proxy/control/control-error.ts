/** The one error type of the control API, mapped to 400/404 by the admin HTTP API. */
import type { ConfigIssue } from '../config/config-validation.js';

export type ControlErrorCode = 'invalid' | 'not-found';

export class ControlError extends Error {
  readonly code: ControlErrorCode;
  readonly issues: ConfigIssue[];

  constructor(code: ControlErrorCode, message: string, issues: ConfigIssue[] = []) {
    super(message);
    this.name = 'ControlError';
    this.code = code;
    this.issues = issues;
  }
}
