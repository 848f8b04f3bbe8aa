/** Shows whichever dialog the dashboard asked for; at most one at a time. */
import type { ComponentType } from 'react';
import type { ClusterSnapshot, ServerSnapshot } from '../../../proxy/control/control-api.js';
import type { DialogRequest } from '../dashboard-context.js';
import { ClusterDialog } from './ClusterDialog.js';
import { RemoveClusterDialog, RemoveServerDialog } from './RemoveDialogs.js';
import { ReplaceServerDialog } from './ReplaceServerDialog.js';
import { ServerDialog } from './ServerDialog.js';
import { SettingsDialog } from './SettingsDialog.js';
import { SessionsDrawer } from './SessionsDrawer.js';

/** The dialogs about one cluster, opened with just that cluster. */
const CLUSTER_DIALOGS: Record<
  'edit-cluster' | 'remove-cluster' | 'add-server',
  ComponentType<{ cluster: ClusterSnapshot; onClose(): void }>
> = {
  'edit-cluster': ClusterDialog,
  'remove-cluster': RemoveClusterDialog,
  'add-server': ServerDialog,
};

/** The dialogs about one server, opened with that server and its cluster. */
const SERVER_DIALOGS: Record<
  'edit-server' | 'remove-server' | 'sessions',
  ComponentType<{ cluster: ClusterSnapshot; server: ServerSnapshot; onClose(): void }>
> = {
  'edit-server': ServerDialog,
  'remove-server': RemoveServerDialog,
  sessions: SessionsDrawer,
};

export function DialogHost({ request, onClose }: { request: DialogRequest | null; onClose(): void }) {
  if (!request) return null;
  switch (request.kind) {
    case 'settings':
      return <SettingsDialog onClose={onClose} />;
    case 'add-cluster':
      return <ClusterDialog onClose={onClose} />;
    case 'replace-server':
      return <ReplaceServerDialog cluster={request.cluster} server={request.server} onClose={onClose} />;
    case 'edit-cluster':
    case 'remove-cluster':
    case 'add-server': {
      const Dialog = CLUSTER_DIALOGS[request.kind];
      return <Dialog cluster={request.cluster} onClose={onClose} />;
    }
    case 'edit-server':
    case 'remove-server':
    case 'sessions': {
      const Dialog = SERVER_DIALOGS[request.kind];
      return <Dialog cluster={request.cluster} server={request.server} onClose={onClose} />;
    }
  }
}
