/** Shows whichever dialog the dashboard asked for; at most one at a time. */
import type { DialogRequest } from '../dashboard-context.js';
import { ClusterDialog } from './ClusterDialog.js';
import { RemoveClusterDialog, RemoveServerDialog } from './RemoveDialogs.js';
import { ReplaceServerDialog } from './ReplaceServerDialog.js';
import { ServerDialog } from './ServerDialog.js';
import { SettingsDialog } from './SettingsDialog.js';
import { SessionsDrawer } from './SessionsDrawer.js';

export function DialogHost({ request, onClose }: { request: DialogRequest | null; onClose(): void }) {
  if (!request) return null;
  switch (request.kind) {
    case 'settings':
      return <SettingsDialog onClose={onClose} />;
    case 'add-cluster':
      return <ClusterDialog onClose={onClose} />;
    case 'edit-cluster':
      return <ClusterDialog cluster={request.cluster} onClose={onClose} />;
    case 'remove-cluster':
      return <RemoveClusterDialog cluster={request.cluster} onClose={onClose} />;
    case 'add-server':
      return <ServerDialog cluster={request.cluster} onClose={onClose} />;
    case 'edit-server':
      return <ServerDialog cluster={request.cluster} server={request.server} onClose={onClose} />;
    case 'remove-server':
      return <RemoveServerDialog cluster={request.cluster} server={request.server} onClose={onClose} />;
    case 'replace-server':
      return <ReplaceServerDialog cluster={request.cluster} server={request.server} onClose={onClose} />;
    case 'sessions':
      return <SessionsDrawer cluster={request.cluster} server={request.server} onClose={onClose} />;
  }
}
