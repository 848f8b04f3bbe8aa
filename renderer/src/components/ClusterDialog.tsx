/** Create a cluster, or change its session, balancing, health check, Host header and compression settings. */
import { useEffect, useState } from 'react';
import { Checkbox, Field, Input, Select, Switch, makeStyles, tokens } from '@fluentui/react-components';
import type { ClusterSnapshot } from '../../../proxy/control/control-api.js';
import { clusterInputOfDraft, clusterPatchOfDraft, draftOfCluster, newClusterDraft, storedSettingsDraft, type ClusterDraft } from '../cluster-draft.js';
import { useDashboard } from '../dashboard-context.js';
import { FormDialog } from './FormDialog.js';
import { NameField } from './FormParts.js';
import { useInlineConfirm } from './InlineConfirmation.js';
import { useClusterConfig } from './use-cluster-config.js';
import { useDraft } from './use-draft.js';
import { useFormSubmit } from './use-form-submit.js';

const FIELDS = [
  'id',
  'name',
  'enabled',
  'sessionMethod',
  'sessionTimeoutSec',
  'balancing',
  'healthCheck.type',
  'healthCheck.path',
  'healthCheck.intervalSec',
  'healthCheck.timeoutMs',
  'hostHeader',
  'hostHeader.mode',
  'hostHeader.value',
  'compression.enabled',
  'compression.minBytes',
] as const;

const useStyles = makeStyles({
  pair: { display: 'grid', gridTemplateColumns: '1fr 1fr', gap: tokens.spacingHorizontalM, alignItems: 'start' },
  section: { fontWeight: tokens.fontWeightSemibold, marginTop: tokens.spacingVerticalS },
});

interface ClusterDialogProps {
  cluster?: ClusterSnapshot;
  onClose(): void;
}

export function ClusterDialog({ cluster, onClose }: ClusterDialogProps) {
  const styles = useStyles();
  const { client, change, snapshot } = useDashboard();
  const inline = useInlineConfirm();
  const { draft, set, setDraft } = useDraft(() => (cluster ? draftOfCluster(cluster) : newClusterDraft()));
  const [routeAll, setRouteAll] = useState(!cluster && snapshot.routes.length === 0);
  const stored = useClusterConfig(cluster?.id);
  // An existing cluster's Host header and compression are not in the snapshot: wait for its config.
  const loaded = !cluster || stored.cluster !== undefined;
  const { busy, issues, submit } = useFormSubmit(FIELDS);

  useEffect(() => {
    const storedCluster = stored.cluster;
    if (storedCluster) setDraft((current) => ({ ...current, ...storedSettingsDraft(storedCluster) }));
  }, [stored.cluster, setDraft]);

  // A changed answer needs asking again.
  const { dismiss } = inline;
  useEffect(() => dismiss(), [draft.enabled, dismiss]);

  const save = async () => {
    const switchingOff = cluster !== undefined && cluster.enabled && !draft.enabled;
    if (!inline.mayProceed(switchingOff ? switchOffQuestion(cluster.name) : null)) return;
    const done = await submit(async () => {
      if (cluster) {
        await change(`Change cluster ${cluster.name}`, () => client.updateCluster(cluster.id, clusterPatchOfDraft(draft, loaded)), { quiet: true });
        return;
      }
      const created = await change(`Add cluster ${draft.name}`, () => client.addCluster(clusterInputOfDraft(draft)), { quiet: true });
      if (routeAll) {
        const routes = [...snapshot.routes, { host: '*', path: '/', cluster: created.id }];
        await change(`Send all traffic to ${draft.name}`, () => client.setRoutes(routes), { quiet: true });
      }
    });
    if (done) onClose();
  };

  return (
    <FormDialog
      title={cluster ? `Settings of ${cluster.name}` : 'Add a cluster'}
      submitLabel={cluster ? 'Save' : 'Add cluster'}
      confirmation={inline.question}
      busy={busy}
      problems={stored.error ? [`The Host header and compression settings could not be loaded: ${stored.error}`, ...issues.general] : issues.general}
      onSubmit={save}
      onClose={onClose}
    >
      <NameField
        value={draft.name}
        hint="The application this cluster serves, e.g. Intranet"
        error={issues.byField.name}
        onChange={(value) => set('name', value)}
      />
      {!cluster && (
        <Field label="Id (optional)" validationMessage={issues.byField.id} hint="Used by routes and the API; made from the name when empty">
          <Input value={draft.id} onChange={(_e, d) => set('id', d.value)} />
        </Field>
      )}
      <Switch checked={draft.enabled} onChange={(_e, d) => set('enabled', d.checked)} label="Enabled" />

      <div className={styles.section}>Sessions</div>
      <div className={styles.pair}>
        <Field label="Keep users on their server by" validationMessage={issues.byField.sessionMethod}>
          <Select value={draft.sessionMethod} onChange={(_e, d) => set('sessionMethod', d.value as ClusterDraft['sessionMethod'])}>
            <option value="cookie">Cookie</option>
            <option value="client-ip">Client address</option>
          </Select>
        </Field>
        <Field label="Session timeout (seconds)" validationMessage={issues.byField.sessionTimeoutSec} hint="Idle time after which a session ends">
          <Input type="number" min={1} value={draft.sessionTimeoutSec} onChange={(_e, d) => set('sessionTimeoutSec', d.value)} />
        </Field>
      </div>
      <Field label="New sessions go to" validationMessage={issues.byField.balancing}>
        <Select value={draft.balancing} onChange={(_e, d) => set('balancing', d.value as ClusterDraft['balancing'])}>
          <option value="least-sessions">The server with the fewest sessions for its capacity</option>
          <option value="round-robin">Each server in turn, weighted by capacity</option>
        </Select>
      </Field>

      <div className={styles.section}>Health check</div>
      <div className={styles.pair}>
        <Field label="Check" validationMessage={issues.byField['healthCheck.type']}>
          <Select value={draft.checkType} onChange={(_e, d) => set('checkType', d.value as ClusterDraft['checkType'])}>
            <option value="tcp">TCP connect</option>
            <option value="http">HTTP request</option>
          </Select>
        </Field>
        <Field label="HTTP path" validationMessage={issues.byField['healthCheck.path']}>
          <Input value={draft.checkPath} disabled={draft.checkType !== 'http'} onChange={(_e, d) => set('checkPath', d.value)} />
        </Field>
        <Field label="Every (seconds)" validationMessage={issues.byField['healthCheck.intervalSec']}>
          <Input type="number" min={1} value={draft.checkIntervalSec} onChange={(_e, d) => set('checkIntervalSec', d.value)} />
        </Field>
        <Field label="Timeout (ms)" validationMessage={issues.byField['healthCheck.timeoutMs']}>
          <Input type="number" min={100} value={draft.checkTimeoutMs} onChange={(_e, d) => set('checkTimeoutMs', d.value)} />
        </Field>
      </div>

      <div className={styles.section}>Forwarding</div>
      <div className={styles.pair}>
        <Field
          label="Host header sent to the servers"
          validationMessage={issues.byField['hostHeader.mode'] ?? issues.byField.hostHeader}
          hint="A fixed name suits a backend that answers only to its own name (an IIS site binding)"
        >
          <Select value={draft.hostMode} disabled={!loaded} onChange={(_e, d) => set('hostMode', d.value as ClusterDraft['hostMode'])}>
            <option value="keep">The one the browser sent</option>
            <option value="fixed">A fixed name</option>
          </Select>
        </Field>
        <Field label="Fixed host name" validationMessage={issues.byField['hostHeader.value']}>
          <Input value={draft.hostValue} disabled={!loaded || draft.hostMode !== 'fixed'} placeholder="app01.corp.local" onChange={(_e, d) => set('hostValue', d.value)} />
        </Field>
      </div>
      <div className={styles.pair}>
        <Field validationMessage={issues.byField['compression.enabled']} hint="Brotli or gzip for text, JSON, scripts and SVG">
          <Switch checked={draft.compress} disabled={!loaded} onChange={(_e, d) => set('compress', d.checked)} label="Compress responses" />
        </Field>
        <Field label="Only responses of at least (bytes)" validationMessage={issues.byField['compression.minBytes']}>
          <Input type="number" min={0} value={draft.compressMinBytes} disabled={!loaded || !draft.compress} onChange={(_e, d) => set('compressMinBytes', d.value)} />
        </Field>
      </div>
      {!cluster && (
        <Checkbox
          checked={routeAll}
          onChange={(_e, d) => setRouteAll(d.checked === true)}
          label="Send all traffic (any host, any path) to this cluster"
        />
      )}
    </FormDialog>
  );
}

function switchOffQuestion(name: string) {
  return {
    title: `Disable cluster ${name}?`,
    consequence: `Every request routed to ${name}, from current users and new ones alike, gets an error page (503 Service Unavailable) until it is enabled again.`,
    confirmLabel: 'Disable cluster',
  };
}
