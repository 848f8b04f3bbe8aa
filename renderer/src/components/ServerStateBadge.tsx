import { Badge, type BadgeProps } from '@fluentui/react-components';
import type { ServerState } from '../../../proxy/control-api.js';

const APPEARANCE: Record<ServerState, { color: BadgeProps['color']; label: string }> = {
  active: { color: 'success', label: 'Active' },
  draining: { color: 'warning', label: 'Draining' },
  drained: { color: 'brand', label: 'Drained' },
  offline: { color: 'danger', label: 'Offline' },
  disabled: { color: 'informative', label: 'Disabled' },
};

export function ServerStateBadge({ state }: { state: ServerState }) {
  const { color, label } = APPEARANCE[state];
  return (
    <Badge appearance="tint" color={color} shape="rounded" data-state={state}>
      {label}
    </Badge>
  );
}
