/**
 * The soft rollout in one step, checked before anyone is moved: the new version is probed, joins
 * with the old server's capacity, and is probed again through the gateway until it answers; only
 * then does the old server drain (its users stay until their sessions end, new users go to the
 * new version). If the new version does not answer, nothing drains unless the admin, having seen
 * why, chooses to drain anyway.
 */
import { useEffect, useState } from 'react';
import { Button, Field, Input, MessageBar, MessageBarBody, MessageBarTitle, Select, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { ClusterSnapshot, ServerSnapshot } from '../../../proxy/control/control-api.js';
import { SERVER_DEFAULTS } from '../config-defaults.js';
import { messageOf } from '../control-client-error.js';
import { useDashboard } from '../dashboard-context.js';
import { formatClock } from '../format.js';
import { FormDialog } from './FormDialog.js';
import { ServerStateBadge } from './ServerStateBadge.js';
import { UrlProbe, describeOutcome, probePassed, useUrlProbe, type ProbeOutcome } from './UrlProbe.js';
import { useFormSubmit } from './use-form-submit.js';

const FIELDS = ['name', 'url'] as const;
/** How often the new server is probed while the dialog waits for it. */
const RECHECK_MS = 1000;
/** Only the latest checks are listed; older ones add nothing. */
const SHOWN_CHECKS = 5;

const useStyles = makeStyles({
  checks: { margin: 0, paddingInlineStart: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: '2px' },
  ok: { color: tokens.colorPaletteGreenForeground1 },
  failed: { color: tokens.colorPaletteRedForeground1 },
  status: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

interface ReplaceServerDialogProps {
  cluster: ClusterSnapshot;
  server?: ServerSnapshot;
  onClose(): void;
}

interface Check {
  at: number;
  outcome: ProbeOutcome;
}

export function ReplaceServerDialog({ cluster, server, onClose }: ReplaceServerDialogProps) {
  const styles = useStyles();
  const { client, change, snapshot } = useDashboard();
  const [oldId, setOldId] = useState(server?.id ?? cluster.servers.find((s) => s.capacity > 0)?.id ?? cluster.servers[0]?.id ?? '');
  const [name, setName] = useState('');
  const [url, setUrl] = useState('http://');
  const [added, setAdded] = useState<{ id: string; name: string } | null>(null);
  const [checks, setChecks] = useState<Check[]>([]);
  const [checkCount, setCheckCount] = useState(0);
  const [drained, setDrained] = useState<'confirmed' | 'overridden' | null>(null);
  const [drainError, setDrainError] = useState<string | null>(null);
  const { busy, issues, submit } = useFormSubmit(FIELDS);
  const probe = useUrlProbe(cluster.id);
  const live = snapshot.clusters.find((c) => c.id === cluster.id) ?? cluster;
  const old = live.servers.find((s) => s.id === oldId);
  const fresh = added ? live.servers.find((s) => s.id === added.id) : undefined;
  const capacity = old ? (old.capacity > 0 ? old.capacity : (old.drainedFromCapacity ?? SERVER_DEFAULTS.capacity)) : SERVER_DEFAULTS.capacity;
  const lastCheck = checks.at(-1);
  const answering = lastCheck !== undefined && probePassed(lastCheck.outcome);
  const phase = drained ? 'done' : added ? 'checking' : 'form';

  const { reset: resetProbe } = probe;
  useEffect(() => resetProbe(), [url, resetProbe]);

  const drainOld = async (how: 'confirmed' | 'overridden') => {
    if (!old) return;
    setDrainError(null);
    try {
      await change(`Drain ${old.name}`, () => client.drainServer(cluster.id, old.id), { quiet: true });
      setDrained(how);
    } catch (error) {
      setDrainError(messageOf(error));
    }
  };

  // While checking: probe the new server through the gateway until it answers; then, and only
  // then, drain the old one.
  useEffect(() => {
    if (phase !== 'checking' || answering) return;
    let stopped = false;
    const check = async () => {
      const outcome = await probe.run(url.trim());
      if (stopped) return;
      setChecks((list) => [...list.slice(-(SHOWN_CHECKS - 1)), { at: Date.now(), outcome }]);
      setCheckCount((count) => count + 1);
    };
    // Each finished check (a new checkCount) schedules the next one.
    const timer = window.setTimeout(() => void check(), checkCount === 0 ? 0 : RECHECK_MS);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [phase, answering, checkCount, probe.run, url]);

  const confirmed = phase === 'checking' && answering && fresh?.state === 'active';
  useEffect(() => {
    if (confirmed && drainError === null) void drainOld('confirmed');
  }, [confirmed]);

  const addNewServer = async () => {
    if (!old) return;
    // The first press with a URL that does not answer only shows why; a second press adds it anyway.
    const failureSeen = probe.outcome !== null && !probePassed(probe.outcome);
    if (!failureSeen && !probePassed(probe.outcome) && !probePassed(await probe.run(url.trim()))) return;
    await submit(async () => {
      const created = await change(`Add ${name}`, () => client.addServer(cluster.id, { name, url, capacity, enabled: true }), { quiet: true });
      setAdded({ id: created.id, name: created.name });
    });
  };

  const removeNewServer = async () => {
    if (!added) return;
    await submit(async () => {
      await change(`Remove ${added.name}`, () => client.removeServer(cluster.id, added.id), { quiet: true });
      onClose();
    });
  };

  if (phase === 'form') {
    const preflightFailed = probe.outcome !== null && !probePassed(probe.outcome);
    return (
      <FormDialog
        title="Replace a server"
        submitLabel={preflightFailed ? 'Add it anyway' : 'Check and replace'}
        danger={preflightFailed}
        busy={busy || probe.busy}
        problems={issues.general}
        onSubmit={() => void addNewServer()}
        onClose={onClose}
      >
        <Text>
          The new server is checked first. It joins with the old one's capacity ({capacity}), and once it answers its health check
          the old one drains: its users stay until their sessions end, new users go to the new version.
        </Text>
        <Field label="Server to replace">
          <Select value={oldId} onChange={(_e, d) => setOldId(d.value)}>
            {live.servers.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} — {s.url}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="New server's name" required validationMessage={issues.byField.name} hint="e.g. App 1.1">
          <Input value={name} onChange={(_e, d) => setName(d.value)} autoFocus />
        </Field>
        <Field label="New server's URL" required validationMessage={issues.byField.url} hint="e.g. http://10.0.0.6:8080">
          <Input value={url} onChange={(_e, d) => setUrl(d.value)} />
        </Field>
        <UrlProbe serverName={name} busy={probe.busy} outcome={probe.outcome} onTest={() => void probe.run(url.trim())} />
        {preflightFailed && (
          <MessageBar intent="error" data-testid="replace-preflight">
            <MessageBarBody>
              <MessageBarTitle>The new server does not answer</MessageBarTitle>
              Nothing has been changed. Check the URL and test again. If you add it anyway, {old?.name ?? 'the old server'} keeps
              taking new users until the new one answers.
            </MessageBarBody>
          </MessageBar>
        )}
      </FormDialog>
    );
  }

  const failing = !answering && lastCheck !== undefined;
  return (
    <FormDialog
      title={`Replace ${old?.name ?? 'a server'} with ${added?.name ?? ''}`}
      submitLabel={phase === 'done' ? 'Done' : failing ? `Drain ${old?.name ?? 'the old server'} anyway` : `Waiting for ${added?.name ?? 'the new server'}…`}
      danger={phase === 'checking' && failing}
      submitDisabled={phase === 'checking' && !failing}
      busy={busy}
      problems={[...issues.general, ...(drainError ? [drainError] : [])]}
      closeLabel="Close"
      extraActions={
        phase === 'checking' && failing ? (
          <Button appearance="secondary" disabled={busy} onClick={() => void removeNewServer()}>
            Remove {added?.name}
          </Button>
        ) : undefined
      }
      onSubmit={() => (phase === 'done' ? onClose() : void drainOld('overridden'))}
      onClose={onClose}
    >
      <div className={styles.status}>
        <Text weight="semibold">{added?.name}</Text>
        {fresh && <ServerStateBadge state={fresh.state} standby={fresh.standby} />}
        <Text>{url}</Text>
      </div>
      <ol className={styles.checks} aria-label={`Health checks of ${added?.name ?? 'the new server'}`} data-testid="replace-checks">
        {checks.map((check) => (
          <li key={check.at} className={probePassed(check.outcome) ? styles.ok : styles.failed}>
            {formatClock(check.at)} — {describeOutcome(check.outcome)}
          </li>
        ))}
      </ol>
      <div role="status" data-testid="replace-status">
        {drained === 'overridden' ? (
          <MessageBar intent="warning">
            <MessageBarBody>
              {old?.name} is draining although {added?.name} did not answer its last check: new users get an error page until it
              does. Bring {old?.name} back with Restore if that was not intended.
            </MessageBarBody>
          </MessageBar>
        ) : phase === 'done' ? (
          <MessageBar intent="success">
            <MessageBarBody>
              {added?.name} answers and takes new users. {old?.name} is draining: its users stay until their sessions end, then it is
              safe to stop.
            </MessageBarBody>
          </MessageBar>
        ) : failing ? (
          <MessageBar intent="error">
            <MessageBarBody>
              <MessageBarTitle>{added?.name} does not answer</MessageBarTitle>
              {old?.name} has not been drained and still takes new users. If you drain it anyway, new users are sent to{' '}
              {added?.name} and get an error page (502 or 503) until it answers; {old?.name}'s current users stay with it.
            </MessageBarBody>
          </MessageBar>
        ) : (
          <Text>
            Checking {added?.name}… {old?.name} drains as soon as it answers.
          </Text>
        )}
      </div>
    </FormDialog>
  );
}
