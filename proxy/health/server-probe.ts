/**
 * One health probe of a URL that is not (yet) a server of the cluster, with the cluster's own
 * health check settings, so that an admin can see whether a new version answers before any user
 * is sent to it. Nothing is saved and no server's health is touched.
 */
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { createBackendAgent } from '../forwarding/backend-tls.js';
import type { HealthCheckConfig } from '../config/config-schema.js';
import { serverSchema } from '../config/config-schema.js';
import { issuesOf } from '../config/config-validation.js';
import type { ProbeReport, ServerProbeInput } from '../control/control-api.js';
import { ControlError } from '../control/control-error.js';
import { probe } from './health-probe.js';

const probeInputSchema = z.strictObject({
  url: serverSchema.shape.url,
  tlsFingerprint: serverSchema.shape.tlsFingerprint.unwrap().nullable().optional(),
});

export async function probeUrl(input: ServerProbeInput, check: HealthCheckConfig): Promise<ProbeReport> {
  const parsed = probeInputSchema.safeParse(input);
  if (!parsed.success) {
    const issues = issuesOf(parsed.error, input);
    throw new ControlError('invalid', issues.map((i) => (i.path ? `${i.path} ${i.message}` : i.message)).join('; '), issues);
  }
  const { url, tlsFingerprint } = parsed.data;
  // A fresh agent without keep-alive: the probe leaves no connection behind.
  const agent = createBackendAgent({ url, tlsFingerprint: tlsFingerprint ?? undefined }, { keepAlive: false });
  const started = performance.now();
  try {
    const result = await probe(new URL(url), check, agent);
    const durationMs = Math.round((performance.now() - started) * 10) / 10;
    return { ok: result.ok, error: result.ok ? null : result.reason, durationMs, check: describeCheck(check), at: Date.now() };
  } finally {
    agent.destroy();
  }
}

function describeCheck(check: HealthCheckConfig): string {
  return check.type === 'http' ? `HTTP GET ${check.path} (online below 500)` : 'TCP connect';
}
