/**
 * Add a server to a cluster, or change one's name, URL, capacity and on/off, and for an https://
 * server with a self-signed certificate, the fingerprint of the certificate to trust.
 */
import { useEffect } from 'react';
import { Field, Input, Switch } from '@fluentui/react-components';
import type { ClusterSnapshot, ServerSnapshot } from '../../../proxy/control/control-api.js';
import { useDashboard } from '../dashboard-context.js';
import { lastServerQuestion, leavesNoActiveServer } from '../outage-check.js';
import { draftOfServer, isHttpsDraft, newServerDraft, serverInputOfDraft, serverPatchOfDraft } from '../server-draft.js';
import { FormDialog } from './FormDialog.js';
import { NameField } from './FormParts.js';
import { useInlineConfirm } from './InlineConfirmation.js';
import { numberOrText } from './number-field.js';
import { UrlProbe, useUrlProbe } from './UrlProbe.js';
import { useClusterConfig } from './use-cluster-config.js';
import { useDraft } from './use-draft.js';
import { useFormSubmit } from './use-form-submit.js';

const FIELDS = ['name', 'url', 'capacity', 'enabled', 'tlsFingerprint'] as const;

interface ServerDialogProps {
  cluster: ClusterSnapshot;
  server?: ServerSnapshot;
  onClose(): void;
}

export function ServerDialog({ cluster, server, onClose }: ServerDialogProps) {
  const { client, change } = useDashboard();
  const inline = useInlineConfirm();
  const { draft, set } = useDraft(() => (server ? draftOfServer(server) : newServerDraft()));
  const { name, url, capacity, enabled, fingerprint } = draft;
  // The fingerprint is not in the snapshot; an existing server's comes from the stored config.
  const stored = useClusterConfig(server ? cluster.id : undefined);
  const storedFingerprint = stored.cluster?.servers.find((s) => s.id === server?.id)?.tlsFingerprint ?? '';
  const fingerprintLoaded = !server || stored.cluster !== undefined;
  const https = isHttpsDraft(draft);
  const { busy, issues, submit } = useFormSubmit(FIELDS);
  const probe = useUrlProbe(cluster.id);

  useEffect(() => set('fingerprint', storedFingerprint), [storedFingerprint, set]);
  const { reset: resetProbe } = probe;
  useEffect(() => resetProbe(), [url, fingerprint, resetProbe]);

  // A changed answer needs asking again.
  const { dismiss } = inline;
  useEffect(() => dismiss(), [capacity, enabled, dismiss]);

  const save = async () => {
    const wanted = { capacity: numberOrText(capacity) === 0 ? 0 : undefined, enabled };
    const outage = server !== undefined && leavesNoActiveServer(cluster, server.id, wanted);
    const label = enabled ? 'Set capacity to 0' : `Disable ${server?.name ?? 'it'}`;
    if (!inline.mayProceed(outage && server ? lastServerQuestion(cluster, server, wanted, label) : null)) return;
    const done = await submit(async () => {
      if (server) {
        const patch = serverPatchOfDraft(draft, server, fingerprintLoaded ? storedFingerprint : null);
        if (Object.keys(patch).length === 0) return;
        await change(`Change ${server.name}`, () => client.updateServer(cluster.id, server.id, patch), { quiet: true });
      } else {
        await change(`Add ${name}`, () => client.addServer(cluster.id, serverInputOfDraft(draft)), { quiet: true });
      }
    });
    if (done) onClose();
  };

  return (
    <FormDialog
      title={server ? `Edit ${server.name}` : `Add a server to ${cluster.name}`}
      submitLabel={server ? 'Save' : 'Add server'}
      confirmation={inline.question}
      busy={busy}
      problems={issues.general}
      onSubmit={save}
      onClose={onClose}
    >
      <NameField value={name} hint="How the server appears here, e.g. App 1.1" error={issues.byField.name} onChange={(value) => set('name', value)} />
      <Field label="URL" required validationMessage={issues.byField.url} hint="Where the gateway forwards requests, e.g. http://10.0.0.5:8080">
        <Input value={url} onChange={(_e, d) => set('url', d.value)} />
      </Field>
      <UrlProbe
        serverName={name}
        busy={probe.busy}
        outcome={probe.outcome}
        onTest={() => void probe.run(url.trim(), https ? fingerprint.trim() : undefined)}
      />
      {https && (
        <Field
          label="Trust self-signed certificate (SHA-256 fingerprint)"
          validationMessage={issues.byField.tlsFingerprint}
          hint="Only for a certificate no trusted authority issued: copy it from the certificate's Details tab, AA:BB:… (32 pairs)"
        >
          <Input value={fingerprint} disabled={!fingerprintLoaded} onChange={(_e, d) => set('fingerprint', d.value)} placeholder="Leave empty for a certificate from a trusted authority" />
        </Field>
      )}
      <Field label="Capacity (0–100)" validationMessage={issues.byField.capacity} hint="Share of new sessions relative to the other servers">
        <Input type="number" min={0} max={100} value={capacity} onChange={(_e, d) => set('capacity', d.value)} />
      </Field>
      <Field validationMessage={issues.byField.enabled}>
        <Switch checked={enabled} onChange={(_e, d) => set('enabled', d.checked)} label="Enabled" />
      </Field>
    </FormDialog>
  );
}
