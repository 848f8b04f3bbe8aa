/**
 * The REST routes of the admin API, derived from the control operations table: each operation's
 * route, its arguments read from the path, body or query, and its answer. Shape checks here are
 * only those the control API cannot make itself (is the body JSON of the right kind at all);
 * everything else is validated by the control API against the config schema.
 */
import type { ControlApi } from '../control/control-api.js';
import { MAX_SESSION_LIST_LIMIT } from '../control/control-arguments.js';
import { controlOperations, operationNames, type HttpVerb, type OperationName } from '../control/control-operations.js';
import { outageWarnings } from '../control/outage-warnings.js';
import { HttpError } from './admin-http.js';

export interface AdminRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body, `undefined` when empty. */
  body: () => Promise<unknown>;
}

export interface AdminReply {
  status: number;
  body?: unknown;
}

/** `control` is already bound to the caller the request speaks for. */
type Handle = (request: AdminRequest, control: ControlApi) => Promise<AdminReply>;

export type RouteMatch =
  | { kind: 'found'; handle: Handle; params: Record<string, string> }
  | { kind: 'wrong-method'; allowed: HttpVerb[] }
  | { kind: 'none' };

/** Finds the route for `segments` (the path after `/api/`, already split and decoded). */
export function matchAdminRoute(method: string, segments: string[]): RouteMatch {
  const allowed: HttpVerb[] = [];
  for (const name of operationNames) {
    const { http, changes } = controlOperations[name];
    const params = matchPattern(http.path, segments);
    if (!params) continue;
    if (http.verb !== method) {
      allowed.push(http.verb);
      continue;
    }
    const handle: Handle = (request, control) => perform(name, request, control);
    return { kind: 'found', handle: changes ? withOutageWarnings(handle) : handle, params };
  }
  return allowed.length > 0 ? { kind: 'wrong-method', allowed } : { kind: 'none' };
}

async function perform(name: OperationName, request: AdminRequest, control: ControlApi): Promise<AdminReply> {
  const args = await argumentsOf(name, request);
  const method = control[name] as (...args: unknown[]) => Promise<unknown>;
  const result = await method.apply(control, args);
  if (result === undefined) return { status: 204 };
  return { status: controlOperations[name].http.created ? 201 : 200, body: result };
}

/** The operation's arguments in order: from the path by name, the rest as the table says. */
async function argumentsOf(name: OperationName, request: AdminRequest): Promise<unknown[]> {
  const { params, http } = controlOperations[name];
  const rest = params.filter((param) => !Object.hasOwn(request.params, param));
  const fromRest = new Map<string, unknown>();
  switch (http.arguments) {
    case 'object':
      fromRest.set(rest[0]!, await objectBody(request));
      break;
    case 'list':
      fromRest.set(rest[0]!, listOf(rest[0]!, await request.body()));
      break;
    case 'fields': {
      const body = await objectBody(request);
      for (const param of rest) fromRest.set(param, body[param]);
      break;
    }
    case 'query':
      fromRest.set(rest[0]!, sessionListOptionsOf(request.query));
      break;
    case undefined:
      break;
  }
  return params.map((param) => (Object.hasOwn(request.params, param) ? request.params[param] : fromRest.get(param)));
}

/**
 * A change is made as asked even when it leaves users without a server (scripts rely on that),
 * but its answer then says so: `warnings` in the JSON object answered, or as the whole answer
 * instead of an empty 204.
 */
function withOutageWarnings(handle: Handle): Handle {
  return async (request, control) => {
    const before = await control.getState();
    const reply = await handle(request, control);
    const warnings = outageWarnings(before, await control.getState());
    if (warnings.length === 0) return reply;
    if (reply.status === 204) return { status: 200, body: { warnings } };
    if (typeof reply.body === 'object' && reply.body !== null && !Array.isArray(reply.body)) return { ...reply, body: { ...reply.body, warnings } };
    return reply;
  };
}

function matchPattern(pattern: string, segments: string[]): Record<string, string> | null {
  const parts = pattern.split('/');
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const segment = segments[i]!;
    if (part.startsWith(':')) params[part.slice(1)] = segment;
    else if (part !== segment) return null;
  }
  return params;
}

async function objectBody(req: AdminRequest): Promise<Record<string, unknown>> {
  const body = await req.body();
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'request body must be a JSON object', { issues: [{ path: '', message: 'must be a JSON object' }] });
  }
  return body as Record<string, unknown>;
}

/** Accepts the list itself or `{ "<name>": [...] }`, e.g. `{ "routes": [...] }`. */
function listOf(name: string, body: unknown): unknown[] {
  const list = Array.isArray(body) ? body : (body as Record<string, unknown> | undefined)?.[name];
  if (!Array.isArray(list)) throw invalid(name, `must be a JSON array of ${name}`);
  return list;
}

/** The one query the API takes: a session list's `limit`. */
function sessionListOptionsOf(query: URLSearchParams): { limit?: number } {
  const text = query.get('limit');
  if (text === null) return {};
  const limit = Number(text);
  if (!/^\d+$/.test(text) || limit < 1 || limit > MAX_SESSION_LIST_LIMIT) {
    throw invalid('limit', `must be a whole number 1–${MAX_SESSION_LIST_LIMIT}`);
  }
  return { limit };
}

function invalid(path: string, message: string): HttpError {
  return new HttpError(400, `${path} ${message}`, { issues: [{ path, message }] });
}
