/** HealthTracker: a server goes offline and back online after the configured streaks, and never before. */
import { describe, expect, it } from 'vitest';
import { healthCheckSchema } from '../../../proxy/config/config-schema.js';
import { HealthTracker } from '../../../proxy/health/server-health.js';

const check = healthCheckSchema.parse({ type: 'http', path: '/health', unhealthyAfter: 3, healthyAfter: 2 });

describe('HealthTracker', () => {
  it('starts online, so that a restarted gateway serves at once', () => {
    expect(new HealthTracker().snapshot()).toEqual({ online: true, lastCheckAt: null, lastError: null, consecutiveFailures: 0, consecutiveSuccesses: 0 });
  });

  it('goes offline on the failure that completes the streak, saying so once', () => {
    const health = new HealthTracker();
    expect([health.failure(check, 'ECONNREFUSED'), health.failure(check, 'ECONNREFUSED')]).toEqual([null, null]);
    expect(health.online).toBe(true);
    expect(health.failure(check, 'timed out')).toBe('offline');
    expect(health.failure(check, 'timed out')).toBeNull();
    expect(health.snapshot()).toMatchObject({ online: false, lastError: 'timed out', consecutiveFailures: 4, consecutiveSuccesses: 0 });
  });

  it('needs an unbroken streak of failures: a success in between starts the count again', () => {
    const health = new HealthTracker();
    health.failure(check, 'x');
    health.failure(check, 'x');
    health.success(check);
    expect([health.failure(check, 'x'), health.failure(check, 'x')]).toEqual([null, null]);
    expect(health.online).toBe(true);
  });

  it('comes back online after the configured successes in a row', () => {
    const health = new HealthTracker();
    for (let i = 0; i < 3; i++) health.failure(check, 'x');
    expect(health.success(check)).toBeNull();
    health.failure(check, 'x');
    expect([health.success(check), health.success(check)]).toEqual([null, 'online']);
    expect(health.success(check)).toBeNull();
    expect(health.snapshot()).toMatchObject({ online: true, consecutiveFailures: 0, consecutiveSuccesses: 3, lastError: 'x' });
  });
});
