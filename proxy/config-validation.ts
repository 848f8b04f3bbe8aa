/**
 * Turns untrusted JSON into a valid GatewayConfig, or into a ConfigError whose issues name each
 * offending field the way an admin reads it: `clusters[0].servers[1].capacity must be 0–100`.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { configSchema, type GatewayConfig } from './config-schema.js';
import { uniqueSlug } from './slug.js';

export interface ConfigIssue {
  /** Field path such as `clusters[0].servers[1].capacity`; empty for the document itself. */
  path: string;
  message: string;
}

export class ConfigError extends Error {
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    super(issues.map((issue) => (issue.path ? `${issue.path} ${issue.message}` : issue.message)).join('; '));
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text ? `.${String(key)}` : String(key);
  }
  return text;
}

export function issuesOf(error: z.ZodError): ConfigIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: plainMessage(issue) }));
}

/** Validates a whole configuration document; fills defaults and generates missing ids. */
export function validateConfig(raw: unknown): GatewayConfig {
  const result = configSchema.safeParse(withGeneratedIds(raw));
  if (!result.success) throw new ConfigError(issuesOf(result.error));
  return result.data;
}

export function generateAdminToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The configuration a first run starts with: one listener, no clusters yet, a fresh token. */
export function defaultConfig(): GatewayConfig {
  return validateConfig({ admin: { token: generateAdminToken() } });
}

/** Fills in missing cluster and server ids from their names, keeping them unique. */
export function withGeneratedIds(raw: unknown): unknown {
  if (!isRecord(raw) || !Array.isArray(raw.clusters)) return raw;
  const clusters = raw.clusters.map((cluster) => (isRecord(cluster) ? { ...cluster } : cluster));
  fillIds(clusters, 'cluster');
  for (const cluster of clusters) {
    if (isRecord(cluster) && Array.isArray(cluster.servers)) {
      cluster.servers = cluster.servers.map((server) => (isRecord(server) ? { ...server } : server));
      fillIds(cluster.servers as unknown[], 'server');
    }
  }
  return { ...raw, clusters };
}

function fillIds(items: unknown[], fallback: string): void {
  const taken = new Set(items.filter(isRecord).map((item) => item.id).filter((id): id is string => typeof id === 'string'));
  for (const item of items) {
    if (!isRecord(item) || item.id !== undefined) continue;
    const id = uniqueSlug(typeof item.name === 'string' ? item.name : fallback, taken, fallback);
    item.id = id;
    taken.add(id);
  }
}

function plainMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  if (issue.code === 'unrecognized_keys') return `has unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  const message = issue.message;
  return /^(must|is|has|needs|names) /.test(message) ? message : `is invalid: ${message}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
