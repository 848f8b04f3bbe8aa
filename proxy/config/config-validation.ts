/**
 * Turns untrusted JSON into a valid GatewayConfig, or into a ConfigError whose issues name each
 * offending field the way an admin reads it: `clusters[0].servers[1].capacity must be 0–100`.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { configSchema, type GatewayConfig } from './config-schema.js';
import { uniqueSlug } from './slug.js';
import { ControlError, describeIssues, type FieldIssue } from '../control/control-error.js';

/** A field issue of a configuration document: its path is from the document's root. */
export type ConfigIssue = FieldIssue;

/** An invalid configuration: the control contract's `invalid` error, so every transport carries it as is. */
export class ConfigError extends ControlError {
  constructor(issues: ConfigIssue[]) {
    super('invalid', describeIssues(issues), issues);
    this.name = 'ConfigError';
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

/** `input` is what was validated; with it, a missing field reads "is required" rather than a type complaint. */
export function issuesOf(error: z.ZodError, input?: unknown): ConfigIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: plainMessage(issue, input) }));
}

/** Validates a whole configuration document; fills defaults and generates missing ids. */
export function validateConfig(raw: unknown): GatewayConfig {
  const input = withGeneratedIds(raw);
  const result = configSchema.safeParse(input);
  if (!result.success) throw new ConfigError(issuesOf(result.error, input));
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
function withGeneratedIds(raw: unknown): unknown {
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

function plainMessage(issue: z.core.$ZodIssue, input: unknown): string {
  if (issue.code === 'invalid_type' && input !== undefined && valueAt(input, issue.path) === undefined) return 'is required';
  if (issue.code === 'unrecognized_keys') return `has unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  const message = issue.message;
  return /^(must|is|has|needs|names) /.test(message) ? message : `is invalid: ${message}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
