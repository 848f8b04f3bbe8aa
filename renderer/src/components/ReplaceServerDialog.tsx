/**
 * The soft rollout in one step: the new version joins with the old server's capacity, then the
 * old server drains — its users stay until their sessions end, new users go to the new version.
 */
import { useState } from 'react';
import { Field, Input, Select, Text } from '@fluentui/react-components';
import type { ClusterSnapshot, ServerSnapshot } from '../../../proxy/control-api.js';
import { useDashboard } from '../dashboard-context.js';
import { FormDialog } from './FormDialog.js';
import { useFormSubmit } from './use-form-submit.js';

const FIELDS = ['name', 'url'] as const;

interface ReplaceServerDialogProps {
  cluster: ClusterSnapshot;
  server?: ServerSnapshot;
  onClose(): void;
}

export function ReplaceServerDialog({ cluster, server, onClose }: ReplaceServerDialogProps) {
  const { client, change } = useDashboard();
  const [oldId, setOldId] = useState(server?.id ?? cluster.servers.find((s) => s.capacity > 0)?.id ?? cluster.servers[0]?.id ?? '');
  const [name, setName] = useState('');
  const [url, setUrl] = useState('http://');
  const [added, setAdded] = useState(false);
  const { busy, issues, submit } = useFormSubmit(FIELDS);
  const old = cluster.servers.find((s) => s.id === oldId);
  const capacity = old ? (old.capacity > 0 ? old.capacity : (old.drainedFromCapacity ?? 100)) : 100;

  const replace = async () => {
    if (!old) return;
    const done = await submit(async () => {
      // A retry after a failed drain must not add the new server a second time.
      if (!added) {
        await change(`Add ${name}`, () => client.addServer(cluster.id, { name, url, capacity, enabled: true }), { quiet: true });
        setAdded(true);
      }
      await change(`Drain ${old.name}`, () => client.drainServer(cluster.id, old.id), { quiet: true });
    });
    if (done) onClose();
  };

  return (
    <FormDialog
      title="Replace a server"
      submitLabel={added ? 'Drain the old server' : 'Replace'}
      busy={busy}
      problems={issues.general}
      onSubmit={replace}
      onClose={onClose}
    >
      <Text>
        The new server starts with the old one's capacity ({capacity}) and gets every new user. The old one drains: its users stay
        until their sessions end, then it is safe to stop.
      </Text>
      <Field label="Server to replace">
        <Select value={oldId} disabled={added} onChange={(_e, d) => setOldId(d.value)}>
          {cluster.servers.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} — {s.url}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="New server's name" required validationMessage={issues.byField.name} hint="e.g. App 1.1">
        <Input value={name} disabled={added} onChange={(_e, d) => setName(d.value)} autoFocus />
      </Field>
      <Field label="New server's URL" required validationMessage={issues.byField.url} hint="e.g. http://10.0.0.6:8080">
        <Input value={url} disabled={added} onChange={(_e, d) => setUrl(d.value)} />
      </Field>
    </FormDialog>
  );
}
