/**
 * Host + path → cluster. Host: exact name, then `*.example.com` (longest suffix first), then `*`;
 * case-insensitive, port stripped. Path: longest matching prefix, case-insensitive.
 */
import { compileAccessRule, type AccessMatcher } from './access-rules.js';
import type { RouteConfig } from '../config/config-schema.js';
import { createPathMapping, type PathMapping } from './path-mapping.js';
import { withoutPathParameters } from '../requests/request-path.js';

/** What a request matched: built once per config change, so matching allocates nothing. */
export interface RouteMatch {
  readonly clusterId: string;
  /** The route's own access rule; undefined when it has none. */
  readonly access: AccessMatcher | undefined;
  /** The route's public path mapped to the backend's; undefined when paths pass through unchanged. */
  readonly mapping: PathMapping | undefined;
  /** The request named a mapped route's path without its trailing slash: it is sent there. */
  readonly addTrailingSlash?: true;
  /** The route's own limit on waiting for the backend (long polls), overriding its cluster's. */
  readonly requestTimeoutSec: number | undefined;
}

interface PathEntry extends RouteMatch {
  prefix: string;
  /** What a request for `prefix` without its slash matches, for mapped routes only. */
  slashless: RouteMatch | undefined;
}

export class RouteTable {
  private readonly exactHosts = new Map<string, PathEntry[]>();
  /** Keyed by the suffix with its dot: `.example.com`. Sorted longest first. */
  private readonly wildcardHosts: { suffix: string; paths: PathEntry[] }[] = [];
  private readonly anyHost: PathEntry[] = [];

  constructor(routes: readonly RouteConfig[]) {
    const wildcards = new Map<string, PathEntry[]>();
    for (const route of routes) {
      const host = route.host.toLowerCase();
      const access = route.access ? compileAccessRule(route.access) : undefined;
      const mapping = createPathMapping(route.path, route.backendPath);
      const requestTimeoutSec = route.requestTimeoutSec;
      const slashless = mapping && route.path.length > 1 ? { clusterId: route.cluster, access, mapping, requestTimeoutSec, addTrailingSlash: true as const } : undefined;
      const entry = { prefix: withoutPathParameters(route.path).toLowerCase(), clusterId: route.cluster, access, mapping, requestTimeoutSec, slashless };
      if (host === '*') this.anyHost.push(entry);
      else if (host.startsWith('*.')) pushTo(wildcards, host.slice(1), entry);
      else pushTo(this.exactHosts, host, entry);
    }
    for (const [suffix, paths] of wildcards) this.wildcardHosts.push({ suffix, paths });
    this.wildcardHosts.sort((a, b) => b.suffix.length - a.suffix.length);
    for (const list of [this.anyHost, ...this.exactHosts.values(), ...wildcards.values()]) {
      list.sort((a, b) => b.prefix.length - a.prefix.length);
    }
  }

  /** The route a request takes, or undefined when none matches. */
  match(hostHeader: string | undefined, url: string): RouteMatch | undefined {
    const host = normalizeHost(hostHeader);
    // `/app;x/admin/` is `/app/admin/` to a Java backend, so it is to the routes and their rules.
    const path = withoutPathParameters(pathOf(url)).toLowerCase();
    const exact = this.exactHosts.get(host);
    if (exact) {
      const found = longestPrefix(exact, path);
      if (found) return found;
    }
    for (const wildcard of this.wildcardHosts) {
      if (host.endsWith(wildcard.suffix)) {
        const found = longestPrefix(wildcard.paths, path);
        if (found) return found;
      }
    }
    return longestPrefix(this.anyHost, path);
  }
}

/** Lower-cased host name without port; IPv6 literals keep their brackets. */
export function normalizeHost(hostHeader: string | undefined): string {
  if (!hostHeader) return '';
  const host = hostHeader.trim().toLowerCase();
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end > 0 ? host.slice(0, end + 1) : host;
  }
  const colon = host.indexOf(':');
  const name = colon >= 0 ? host.slice(0, colon) : host;
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  return end >= 0 ? url.slice(0, end) : url;
}

/** A route of its own for the path without slash (`/wiki` next to `/wiki/`) wins over the redirect. */
function longestPrefix(entries: readonly PathEntry[], path: string): RouteMatch | undefined {
  let slashless: RouteMatch | undefined;
  for (const entry of entries) {
    if (path.startsWith(entry.prefix)) return slashless && entry.prefix.length < path.length ? slashless : entry;
    if (entry.slashless && entry.prefix.length === path.length + 1 && entry.prefix.startsWith(path)) slashless = entry.slashless;
  }
  return slashless;
}

function pushTo(map: Map<string, PathEntry[]>, key: string, entry: PathEntry): void {
  const list = map.get(key);
  if (list) list.push(entry);
  else map.set(key, [entry]);
}
