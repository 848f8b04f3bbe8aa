/**
 * The access log (enabled and disabled at once, while running) and how long both logs are kept,
 * and where.
 */
import { useState } from 'react';
import { Field, Input, Switch, makeStyles, tokens } from '@fluentui/react-components';
import type { GatewayConfig } from '../../../proxy/control/control-api.js';
import { messageOf } from '../control-client-error.js';
import { useDashboard } from '../dashboard-context.js';
import { placeSettingsIssues } from '../settings-issues.js';
import { SettingsForm } from './SettingsForm.js';
import { numberOrText } from './number-field.js';
import { useDraft } from './use-draft.js';
import { useFormSubmit } from './use-form-submit.js';

const FIELDS = ['logs.directory', 'logs.accessLog.retentionDays', 'logs.eventLog.retentionDays'] as const;

const useStyles = makeStyles({
  pair: { display: 'grid', gridTemplateColumns: '1fr 1fr', gap: tokens.spacingHorizontalM, alignItems: 'start' },
});

interface LogsSettingsProps {
  config: GatewayConfig;
  onSaved(config: GatewayConfig): void;
}

export function LogsSettings({ config, onSaved }: LogsSettingsProps) {
  const styles = useStyles();
  const { client, change } = useDashboard();
  const [switching, setSwitching] = useState<boolean | null>(null);
  const [switchError, setSwitchError] = useState<string | undefined>(undefined);
  const { draft, set } = useDraft(() => ({
    accessDays: String(config.logs.accessLog.retentionDays),
    eventDays: String(config.logs.eventLog.retentionDays),
    directory: config.logs.directory ?? '',
  }));
  const { accessDays, eventDays, directory } = draft;
  const { busy, issues, submit } = useFormSubmit(FIELDS, (found) => placeSettingsIssues(found, '', FIELDS));
  const accessLogOn = switching ?? config.logs.accessLog.enabled;

  const switchAccessLog = (enabled: boolean) => {
    setSwitching(enabled);
    setSwitchError(undefined);
    change(`${enabled ? 'Enable' : 'Disable'} the access log`, () => client.updateSettings({ logs: { accessLog: { enabled } } }), { quiet: true })
      .then(onSaved, (error: unknown) => setSwitchError(messageOf(error)))
      .finally(() => setSwitching(null));
  };

  const save = () =>
    submit(async () => {
      const logs = {
        directory: directory.trim() === '' ? null : directory.trim(),
        accessLog: { retentionDays: numberOrText(accessDays) as number },
        eventLog: { retentionDays: numberOrText(eventDays) as number },
      };
      const saved = await change('Change the log settings', () => client.updateSettings({ logs }), { quiet: true });
      onSaved(saved);
    });

  return (
    <SettingsForm label="Logs" submitLabel="Save log settings" busy={busy} problems={issues.general} onSubmit={() => void save()}>
      <Field
        validationMessage={switchError}
        hint="One line per request in the W3C format IIS uses (Log Parser and Excel read it). Applies at once."
      >
        <Switch checked={accessLogOn} disabled={switching !== null} onChange={(_e, d) => switchAccessLog(d.checked)} label="Access log" />
      </Field>
      <div className={styles.pair}>
        <Field label="Keep access logs (days)" validationMessage={issues.byField['logs.accessLog.retentionDays']}>
          <Input type="number" min={1} max={3650} value={accessDays} onChange={(_e, d) => set('accessDays', d.value)} />
        </Field>
        <Field label="Keep event logs (days)" validationMessage={issues.byField['logs.eventLog.retentionDays']}>
          <Input type="number" min={1} max={3650} value={eventDays} onChange={(_e, d) => set('eventDays', d.value)} />
        </Field>
      </div>
      <Field
        label="Log folder (optional)"
        validationMessage={issues.byField['logs.directory']}
        hint="Both logs go here; when empty, a logs folder next to the configuration file. A new file starts every day at midnight UTC."
      >
        <Input value={directory} onChange={(_e, d) => set('directory', d.value)} placeholder="logs (next to the configuration file)" />
      </Field>
    </SettingsForm>
  );
}
