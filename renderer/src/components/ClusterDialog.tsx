/** Create a cluster, or change its session, balancing, health check, Host header and compression settings. */
import { useEffect, useState } from 'react';
import { Checkbox, Field, Input, Select, Switch, makeStyles, tokens } from '@fluentui/react-components';
import type { ClusterInput, ClusterPatch, ClusterSnapshot } from '../../../proxy/control/control-api.js';
import { useDashboard } from '../dashboard-context.js';
import { FormDialog } from './FormDialog.js';
import { InlineConfirmation, useInlineConfirm } from './InlineConfirmation.js';
import { numberOrText } from './number-field.js';
import { useClusterConfig } from './use-cluster-config.js';
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

const DEFAULT_MIN_BYTES = 1024;

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
  const [name, setName] = useState(cluster?.name ?? '');
  const [id, setId] = useState('');
  const [enabled, setEnabled] = useState(cluster?.enabled ?? true);
  const [sessionMethod, setSessionMethod] = useState<string>(cluster?.sessionMethod ?? 'cookie');
  const [timeout, setTimeoutText] = useState(String(cluster?.sessionTimeoutSec ?? 1800));
  const [balancing, setBalancing] = useState<string>(cluster?.balancing ?? 'least-sessions');
  const [checkType, setCheckType] = useState<string>(cluster?.healthCheck.type ?? 'tcp');
  const [checkPath, setCheckPath] = useState(cluster?.healthCheck.path ?? '/');
  const [interval, setIntervalText] = useState(String(cluster?.healthCheck.intervalSec ?? 10));
  const [checkTimeout, setCheckTimeout] = useState(String(cluster?.healthCheck.timeoutMs ?? 2000));
  const [routeAll, setRouteAll] = useState(!cluster && snapshot.routes.length === 0);
  const [hostMode, setHostMode] = useState<'keep' | 'fixed'>('keep');
  const [hostValue, setHostValue] = useState('');
  const [compress, setCompress] = useState(false);
  const [minBytes, setMinBytes] = useState(String(DEFAULT_MIN_BYTES));
  const stored = useClusterConfig(cluster?.id);
  // An existing cluster's Host header and compression are not in the snapshot: wait for its config.
  const loaded = !cluster || stored.cluster !== undefined;
  const { busy, issues, submit } = useFormSubmit(FIELDS);

  useEffect(() => {
    if (!stored.cluster) return;
    setHostMode(stored.cluster.hostHeader.mode);
    setHostValue(stored.cluster.hostHeader.value ?? '');
    setCompress(stored.cluster.compression.enabled);
    setMinBytes(String(stored.cluster.compression.minBytes));
  }, [stored.cluster]);

  const settings = (): ClusterPatch => ({
    name,
    enabled,
    sessionMethod: sessionMethod as ClusterInput['sessionMethod'],
    sessionTimeoutSec: numberOrText(timeout) as number,
    balancing: balancing as ClusterInput['balancing'],
    healthCheck: {
      type: checkType as 'http' | 'tcp',
      path: checkPath,
      intervalSec: numberOrText(interval) as number,
      timeoutMs: numberOrText(checkTimeout) as number,
    },
    ...(loaded
      ? {
          hostHeader: hostMode === 'fixed' ? { mode: 'fixed', value: hostValue.trim() } : { mode: 'keep' },
          compression: { enabled: compress, minBytes: numberOrText(minBytes) as number },
        }
      : {}),
  });

  // A changed answer needs asking again.
  const { dismiss } = inline;
  useEffect(() => dismiss(), [enabled, dismiss]);

  const save = async () => {
    const switchingOff = cluster !== undefined && cluster.enabled && !enabled;
    if (!inline.mayProceed(switchingOff ? switchOffQuestion(cluster.name) : null)) return;
    const done = await submit(async () => {
      if (cluster) {
        await change(`Change cluster ${cluster.name}`, () => client.updateCluster(cluster.id, settings()), { quiet: true });
        return;
      }
      const input: ClusterInput = { ...settings(), name, ...(id.trim() ? { id: id.trim() } : {}) };
      const created = await change(`Add cluster ${name}`, () => client.addCluster(input), { quiet: true });
      if (routeAll) {
        const routes = [...snapshot.routes, { host: '*', path: '/', cluster: created.id }];
        await change(`Send all traffic to ${name}`, () => client.setRoutes(routes), { quiet: true });
      }
    });
    if (done) onClose();
  };

  return (
    <FormDialog
      title={cluster ? `Settings of ${cluster.name}` : 'Add a cluster'}
      submitLabel={inline.question?.confirmLabel ?? (cluster ? 'Save' : 'Add cluster')}
      danger={inline.question !== null}
      busy={busy}
      problems={stored.error ? [`The Host header and compression settings could not be loaded: ${stored.error}`, ...issues.general] : issues.general}
      onSubmit={save}
      onClose={onClose}
    >
      <InlineConfirmation question={inline.question} />
      <Field label="Name" required validationMessage={issues.byField.name} hint="The application this cluster serves, e.g. Intranet">
        <Input value={name} onChange={(_e, d) => setName(d.value)} autoFocus />
      </Field>
      {!cluster && (
        <Field label="Id (optional)" validationMessage={issues.byField.id} hint="Used by routes and the API; made from the name when empty">
          <Input value={id} onChange={(_e, d) => setId(d.value)} />
        </Field>
      )}
      <Switch checked={enabled} onChange={(_e, d) => setEnabled(d.checked)} label="Enabled" />

      <div className={styles.section}>Sessions</div>
      <div className={styles.pair}>
        <Field label="Keep users on their server by" validationMessage={issues.byField.sessionMethod}>
          <Select value={sessionMethod} onChange={(_e, d) => setSessionMethod(d.value)}>
            <option value="cookie">Cookie</option>
            <option value="client-ip">Client address</option>
          </Select>
        </Field>
        <Field label="Session timeout (seconds)" validationMessage={issues.byField.sessionTimeoutSec} hint="Idle time after which a session ends">
          <Input type="number" min={1} value={timeout} onChange={(_e, d) => setTimeoutText(d.value)} />
        </Field>
      </div>
      <Field label="New sessions go to" validationMessage={issues.byField.balancing}>
        <Select value={balancing} onChange={(_e, d) => setBalancing(d.value)}>
          <option value="least-sessions">The server with the fewest sessions for its capacity</option>
          <option value="round-robin">Each server in turn, weighted by capacity</option>
        </Select>
      </Field>

      <div className={styles.section}>Health check</div>
      <div className={styles.pair}>
        <Field label="Check" validationMessage={issues.byField['healthCheck.type']}>
          <Select value={checkType} onChange={(_e, d) => setCheckType(d.value)}>
            <option value="tcp">TCP connect</option>
            <option value="http">HTTP request</option>
          </Select>
        </Field>
        <Field label="HTTP path" validationMessage={issues.byField['healthCheck.path']}>
          <Input value={checkPath} disabled={checkType !== 'http'} onChange={(_e, d) => setCheckPath(d.value)} />
        </Field>
        <Field label="Every (seconds)" validationMessage={issues.byField['healthCheck.intervalSec']}>
          <Input type="number" min={1} value={interval} onChange={(_e, d) => setIntervalText(d.value)} />
        </Field>
        <Field label="Timeout (ms)" validationMessage={issues.byField['healthCheck.timeoutMs']}>
          <Input type="number" min={100} value={checkTimeout} onChange={(_e, d) => setCheckTimeout(d.value)} />
        </Field>
      </div>

      <div className={styles.section}>Forwarding</div>
      <div className={styles.pair}>
        <Field
          label="Host header sent to the servers"
          validationMessage={issues.byField['hostHeader.mode'] ?? issues.byField.hostHeader}
          hint="A fixed name suits a backend that answers only to its own name (an IIS site binding)"
        >
          <Select value={hostMode} disabled={!loaded} onChange={(_e, d) => setHostMode(d.value as 'keep' | 'fixed')}>
            <option value="keep">The one the browser sent</option>
            <option value="fixed">A fixed name</option>
          </Select>
        </Field>
        <Field label="Fixed host name" validationMessage={issues.byField['hostHeader.value']}>
          <Input value={hostValue} disabled={!loaded || hostMode !== 'fixed'} placeholder="app01.corp.local" onChange={(_e, d) => setHostValue(d.value)} />
        </Field>
      </div>
      <div className={styles.pair}>
        <Field validationMessage={issues.byField['compression.enabled']} hint="Brotli or gzip for text, JSON, scripts and SVG">
          <Switch checked={compress} disabled={!loaded} onChange={(_e, d) => setCompress(d.checked)} label="Compress responses" />
        </Field>
        <Field label="Only responses of at least (bytes)" validationMessage={issues.byField['compression.minBytes']}>
          <Input type="number" min={0} value={minBytes} disabled={!loaded || !compress} onChange={(_e, d) => setMinBytes(d.value)} />
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
