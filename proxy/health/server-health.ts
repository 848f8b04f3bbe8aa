/**
 * A server's health from active checks and live traffic. A server counts as online until checks
 * say otherwise, so a gateway restart never interrupts traffic.
 */
import type { HealthCheckConfig } from '../config/config-schema.js';
import type { ServerHealth } from '../control/control-api.js';

export type HealthTransition = 'online' | 'offline' | null;

export class HealthTracker {
  online = true;
  lastCheckAt: number | null = null;
  lastError: string | null = null;
  consecutiveFailures = 0;
  consecutiveSuccesses = 0;

  /** Records a success; returns 'online' when this brings the server back. */
  success(check: HealthCheckConfig): HealthTransition {
    this.consecutiveFailures = 0;
    this.consecutiveSuccesses++;
    if (!this.online && this.consecutiveSuccesses >= check.healthyAfter) {
      this.online = true;
      return 'online';
    }
    return null;
  }

  /** Records a failure (from a check or from live traffic); returns 'offline' when this takes the server out. */
  failure(check: HealthCheckConfig, reason: string): HealthTransition {
    this.consecutiveSuccesses = 0;
    this.consecutiveFailures++;
    this.lastError = reason;
    if (this.online && this.consecutiveFailures >= check.unhealthyAfter) {
      this.online = false;
      return 'offline';
    }
    return null;
  }

  snapshot(): ServerHealth {
    return {
      online: this.online,
      lastCheckAt: this.lastCheckAt,
      lastError: this.lastError,
      consecutiveFailures: this.consecutiveFailures,
      consecutiveSuccesses: this.consecutiveSuccesses,
    };
  }
}
