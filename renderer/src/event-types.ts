import type { GatewayEventType } from '../../proxy/control/control-api.js';

/** Every SSE event name the gateway sends; `satisfies` keeps the list in step with the type. */
export const EVENT_TYPES = ['state', 'drained', 'offline', 'online', 'config', 'stats'] as const satisfies readonly GatewayEventType[];
