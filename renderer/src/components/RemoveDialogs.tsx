/** Removing is the one change that loses something, so it is always confirmed. */
import { MessageBar, MessageBarBody, Text } from '@fluentui/react-components';
import type { ClusterSnapshot, ServerSnapshot } from '../../../proxy/control/control-api.js';
import { useDashboard } from '../dashboard-context.js';
import { plural } from '../format.js';
import { lastServerQuestion, leavesNoActiveServer } from '../outage-check.js';
import { FormDialog } from './FormDialog.js';
import { useFormSubmit } from './use-form-submit.js';

interface RemoveServerDialogProps {
  cluster: ClusterSnapshot;
  server: ServerSnapshot;
  onClose(): void;
}

export function RemoveServerDialog({ cluster, server, onClose }: RemoveServerDialogProps) {
  const { client, change } = useDashboard();
  const { busy, issues, submit } = useFormSubmit([]);
  const remove = async () => {
    const done = await submit(() => change(`Remove ${server.name}`, () => client.removeServer(cluster.id, server.id), { quiet: true }));
    if (done) onClose();
  };
  const outage = leavesNoActiveServer(cluster, server.id, { removed: true }) ? lastServerQuestion(cluster, server, { removed: true }, '') : null;
  return (
    <FormDialog title={`Remove ${server.name}?`} submitLabel="Remove server" danger busy={busy} problems={issues.general} onSubmit={remove} onClose={onClose}>
      {outage && (
        <MessageBar intent="error" layout="multiline" data-testid="confirm-consequence">
          <MessageBarBody>
            {server.name} is the last active server of {cluster.name}. {outage.consequence}
          </MessageBarBody>
        </MessageBar>
      )}
      {server.sessions > 0 ? (
        <MessageBar intent="warning">
          <MessageBarBody>
            {server.name} still has {plural(server.sessions, 'live session', 'live sessions')}. Those users will be moved to another
            server on their next request and may lose what they were doing. To avoid that,{' '}
            {server.state === 'draining' ? 'wait until it is drained' : 'drain it and remove it once it is drained'}.
          </MessageBarBody>
        </MessageBar>
      ) : null}
      <Text>
        The gateway stops sending requests to {server.url} and {server.name} leaves the cluster {cluster.name}. The server itself keeps
        running.
      </Text>
    </FormDialog>
  );
}

interface RemoveClusterDialogProps {
  cluster: ClusterSnapshot;
  onClose(): void;
}

export function RemoveClusterDialog({ cluster, onClose }: RemoveClusterDialogProps) {
  const { client, change } = useDashboard();
  const { busy, issues, submit } = useFormSubmit([]);
  const remove = async () => {
    const done = await submit(() => change(`Remove cluster ${cluster.name}`, () => client.removeCluster(cluster.id), { quiet: true }));
    if (done) onClose();
  };
  return (
    <FormDialog title={`Remove cluster ${cluster.name}?`} submitLabel="Remove cluster" danger busy={busy} problems={issues.general} onSubmit={remove} onClose={onClose}>
      {cluster.sessions > 0 ? (
        <MessageBar intent="warning">
          <MessageBarBody>
            {cluster.name} has {plural(cluster.sessions, 'live session', 'live sessions')}; they end now.
          </MessageBarBody>
        </MessageBar>
      ) : null}
      <Text>
        Its {plural(cluster.servers.length, 'server', 'servers')} and settings are removed. Routes that name it must be changed first.
      </Text>
    </FormDialog>
  );
}
