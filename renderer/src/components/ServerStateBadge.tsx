/** A server's state as a coloured word. */
import { Badge, type BadgeProps } from '@fluentui/react-components';
import type { ServerState } from '../../../proxy/control/control-api.js';

const APPEARANCE: Record<ServerState, { color: BadgeProps['color']; label: string }> = {
  active: { color: 'success', label: 'Active' },
  draining: { color: 'warning', label: 'Draining' },
  drained: { color: 'brand', label: 'Drained' },
  offline: { color: 'danger', label: 'Offline' },
  disabled: { color: 'informative', label: 'Disabled' },
};

const STANDBY = { color: 'informative', label: 'Standby' } as const;

/** `standby` tells a server staged at capacity 0 from one whose drain finished; both are `drained`. */
export function ServerStateBadge({ state, standby = false }: { state: ServerState; standby?: boolean }) {
  const { color, label } = state === 'drained' && standby ? STANDBY : APPEARANCE[state];
  return (
    <Badge appearance="tint" color={color} shape="rounded" data-state={state} data-standby={standby ? 'true' : undefined}>
      {label}
    </Badge>
  );
}
