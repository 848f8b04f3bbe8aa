/**
 * How a client puts one control call on the wire of the admin HTTP API, by the operations
 * table: the route's path with the arguments it names, the rest as body or query.
 */
import { controlOperations, type HttpVerb, type OperationName } from './control-operations.js';

export interface HttpCall {
  verb: HttpVerb;
  /** From the root, e.g. `/api/clusters/web/servers/v1/drain`. */
  path: string;
  /** The JSON body, or undefined for none. */
  body?: unknown;
}

export function httpCallOf(name: OperationName, args: readonly unknown[]): HttpCall {
  const { params, http } = controlOperations[name];
  const valueOf = (param: string): unknown => args[params.indexOf(param)];
  const inPath = new Set<string>();
  const path = http.path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment;
      inPath.add(segment.slice(1));
      return encodeURIComponent(String(valueOf(segment.slice(1))));
    })
    .join('/');
  const rest = params.filter((param) => !inPath.has(param));
  const call: HttpCall = { verb: http.verb, path: `/api/${path}` };
  switch (http.arguments) {
    case 'object':
    case 'list':
      call.body = valueOf(rest[0]!);
      break;
    case 'fields':
      call.body = Object.fromEntries(rest.map((param) => [param, valueOf(param)]));
      break;
    case 'query': {
      const options = (valueOf(rest[0]!) ?? {}) as Record<string, unknown>;
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(options)) if (value !== undefined) query.set(key, String(value));
      if (query.size > 0) call.path += `?${query.toString()}`;
      break;
    }
    case undefined:
      break;
  }
  return call;
}

/** The body of an admin API answer: its JSON, any other text as it is, undefined when empty. */
export async function answerBodyOf(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
