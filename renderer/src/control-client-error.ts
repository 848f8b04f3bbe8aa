/**
 * A failed control call, in the terms the dashboard shows to the admin. Every client rejects
 * with the contract's ControlError; these read any rejection, even one that crossed the Electron
 * bridge as a plain object, so that no failure is ever shown as "[object Object]".
 */
import { controlErrorOf, type FieldIssue } from '../../proxy/control/control-error.js';

export type { FieldIssue };

/** Field issues of any error a control call rejected with; none for other failures. */
export function issuesOf(error: unknown): FieldIssue[] {
  return controlErrorOf(error).issues;
}

export function messageOf(error: unknown): string {
  return cleanIpcPrefix(controlErrorOf(error).message);
}

/** Electron prefixes errors crossing IPC with "Error invoking remote method 'x': Error: ". */
function cleanIpcPrefix(message: string): string {
  return message.replace(/^Error invoking remote method '[^']*': (?:\w*Error: )?/, '');
}
