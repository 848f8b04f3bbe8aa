/**
 * The REST routes of the admin API, each a thin mapping of one HTTP request onto one ControlApi
 * call. Shape checks here are only those the control API cannot make itself (is the body an
 * object at all, which PATCH fields are allowed); everything else is validated by the control API
 * against the config schema.
 */
import type {
  ChangeSource,
  ClusterInput,
  ClusterPatch,
  ControlApi,
  RouteInput,
  ServerInput,
  ServerPatch,
  ServerProbeInput,
  SettingsPatch,
} from '../control/control-api.js';
import { HttpError } from './admin-http.js';
import { outageWarnings } from '../control/outage-warnings.js';

export interface AdminRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body, `undefined` when empty. */
  body: () => Promise<unknown>;
  source: ChangeSource;
}

export interface AdminReply {
  status: number;
  body?: unknown;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface AdminRoute {
  method: HttpMethod;
  /** Segments after `/api/`; `:name` captures one segment. */
  pattern: string;
  handle: (request: AdminRequest, control: ControlApi) => Promise<AdminReply>;
}

const SERVER_PATCH_FIELDS = ['capacity', 'enabled', 'name', 'url', 'tlsFingerprint'] as const;
const MAX_SESSION_LIST_LIMIT = 100_000;

const ok = (body: unknown): AdminReply => ({ status: 200, body });
const created = (body: unknown): AdminReply => ({ status: 201, body });
const noContent: AdminReply = { status: 204 };

const routes: AdminRoute[] = [
  { method: 'GET', pattern: 'state', handle: async (_, control) => ok(await control.getState()) },
  { method: 'GET', pattern: 'config', handle: async (_, control) => ok(await control.getConfig()) },
  { method: 'PUT', pattern: 'config', handle: async (req, control) => ok(await control.importConfig(await objectBody(req), req.source)) },

  {
    method: 'POST',
    pattern: 'clusters',
    handle: async (req, control) => created(await control.addCluster((await objectBody(req)) as unknown as ClusterInput, req.source)),
  },
  {
    method: 'PATCH',
    pattern: 'clusters/:cid',
    handle: async (req, control) =>
      ok(await control.updateCluster(req.params.cid!, (await objectBody(req)) as ClusterPatch, req.source)),
  },
  {
    method: 'DELETE',
    pattern: 'clusters/:cid',
    handle: async (req, control) => {
      await control.removeCluster(req.params.cid!, req.source);
      return noContent;
    },
  },

  {
    method: 'POST',
    pattern: 'clusters/:cid/servers',
    handle: async (req, control) =>
      created(await control.addServer(req.params.cid!, (await objectBody(req)) as unknown as ServerInput, req.source)),
  },
  {
    method: 'POST',
    pattern: 'clusters/:cid/probe',
    handle: async (req, control) =>
      ok(await control.probeServer(req.params.cid!, (await objectBody(req)) as unknown as ServerProbeInput)),
  },
  {
    method: 'PATCH',
    pattern: 'clusters/:cid/servers/:sid',
    handle: async (req, control) =>
      ok(await control.updateServer(req.params.cid!, req.params.sid!, serverPatchOf(await objectBody(req)), req.source)),
  },
  {
    method: 'DELETE',
    pattern: 'clusters/:cid/servers/:sid',
    handle: async (req, control) => {
      await control.removeServer(req.params.cid!, req.params.sid!, req.source);
      return noContent;
    },
  },
  {
    method: 'POST',
    pattern: 'clusters/:cid/servers/:sid/drain',
    handle: async (req, control) => ok(await control.drainServer(req.params.cid!, req.params.sid!, req.source)),
  },
  {
    method: 'POST',
    pattern: 'clusters/:cid/servers/:sid/restore',
    handle: async (req, control) => ok(await control.restoreServer(req.params.cid!, req.params.sid!, req.source)),
  },
  {
    method: 'GET',
    pattern: 'clusters/:cid/servers/:sid/history',
    handle: async (req, control) => ok(await control.getHistory(req.params.cid!, req.params.sid!)),
  },
  {
    method: 'GET',
    pattern: 'clusters/:cid/servers/:sid/sessions',
    handle: async (req, control) =>
      ok(await control.listSessions(req.params.cid!, req.params.sid!, sessionListOptionsOf(req.query))),
  },

  {
    method: 'DELETE',
    pattern: 'clusters/:cid/servers/:sid/sessions/:id',
    handle: async (req, control) => {
      await control.endSession(req.params.cid!, req.params.sid!, req.params.id!, req.source);
      return noContent;
    },
  },

  {
    method: 'PUT',
    pattern: 'routes',
    handle: async (req, control) => ok(await control.setRoutes(routesOf(await req.body()), req.source)),
  },
  {
    method: 'PATCH',
    pattern: 'settings',
    handle: async (req, control) => ok(await control.updateSettings((await objectBody(req)) as SettingsPatch, req.source)),
  },
  {
    method: 'POST',
    pattern: 'pause',
    handle: async (req, control) => {
      const body = await objectBody(req);
      if (typeof body.paused !== 'boolean') throw invalid('paused', 'must be true or false');
      await control.setPaused(body.paused, req.source);
      return ok({ paused: body.paused });
    },
  },
];

export type RouteMatch =
  | { kind: 'found'; handle: AdminRoute['handle']; params: Record<string, string> }
  | { kind: 'wrong-method'; allowed: HttpMethod[] }
  | { kind: 'none' };

/** Finds the route for `segments` (the path after `/api/`, already split and decoded). */
export function matchAdminRoute(method: string, segments: string[]): RouteMatch {
  const allowed: HttpMethod[] = [];
  for (const route of routes) {
    const params = matchPattern(route.pattern, segments);
    if (!params) continue;
    if (route.method === method) return { kind: 'found', handle: method === 'GET' ? route.handle : withOutageWarnings(route.handle), params };
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { kind: 'wrong-method', allowed } : { kind: 'none' };
}

/**
 * A change is made as asked even when it leaves users without a server (scripts rely on that),
 * but its answer then says so: `warnings` in the JSON object answered, or as the whole answer
 * instead of an empty 204.
 */
function withOutageWarnings(handle: AdminRoute['handle']): AdminRoute['handle'] {
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

function serverPatchOf(body: Record<string, unknown>): ServerPatch {
  const unknownFields = Object.keys(body).filter((key) => !(SERVER_PATCH_FIELDS as readonly string[]).includes(key));
  if (unknownFields.length > 0) {
    const issues = unknownFields.map((field) => ({
      path: field,
      message: `cannot be changed here (allowed: ${SERVER_PATCH_FIELDS.join(', ')})`,
    }));
    throw new HttpError(400, issues.map((issue) => `${issue.path} ${issue.message}`).join('; '), { issues });
  }
  return body as ServerPatch;
}

/** Accepts the route list itself or `{ "routes": [...] }`. */
function routesOf(body: unknown): RouteInput[] {
  const list = Array.isArray(body) ? body : (body as { routes?: unknown } | undefined)?.routes;
  if (!Array.isArray(list)) throw invalid('routes', 'must be a JSON array of routes');
  return list as RouteInput[];
}

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
