/** The limits section of the configuration: what one client address may hold at once. */
import { z } from 'zod';

const perClientLimit = z.int('must be a whole number (0 for no limit)').min(0, 'must be 0 (no limit) or more').max(1_000_000, 'must be at most 1000000');

/** What one client address may hold at once; 0 switches a limit off. */
export const limitsSchema = z.strictObject({
  /** Open connections to the listeners (connections from trusted proxies are not limited). */
  connectionsPerClient: perClientLimit.default(512),
  /** Requests whose body is still being received. */
  uploadsPerClient: perClientLimit.default(64),
  /** Live cookie sessions per cluster; beyond it a client's new sessions are served but not kept. */
  sessionsPerClient: perClientLimit.default(5000),
  /**
   * Client connections holding a backend connection of their own for Windows authentication. A
   * browser opens up to six per site; a Remote Desktop server puts many users behind one address.
   */
  pinnedConnectionsPerClient: perClientLimit.default(128),
});
