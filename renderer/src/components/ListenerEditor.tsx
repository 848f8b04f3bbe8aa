/**
 * Add or change one listener: port and address, plain HTTP (optionally redirecting to HTTPS) or
 * HTTPS with a PFX file or a PEM certificate and key. The whole list of listeners is sent, and the
 * gateway checks the certificate before anything changes.
 */
import { Checkbox, Field, Input, Radio, RadioGroup, makeStyles, tokens } from '@fluentui/react-components';
import type { GatewayConfig, ListenerConfig } from '../../../proxy/control/control-api.js';
import { useDashboard } from '../dashboard-context.js';
import { listenerOfDraft, type ListenerDraft, type ListenerSecurity } from '../listener-draft.js';
import { placeSettingsIssues } from '../settings-issues.js';
import { CertificateFileField, PassphraseField } from './CertificateFields.js';
import { SettingsForm } from './SettingsForm.js';
import { useDraft } from './use-draft.js';
import { useFormSubmit } from './use-form-submit.js';

const FIELDS = [
  'port',
  'host',
  'tls',
  'tls.pfxPath',
  'tls.passphrase',
  'tls.certPath',
  'tls.keyPath',
  'redirectToHttps',
  'redirectToHttps.port',
] as const;

const useStyles = makeStyles({
  pair: { display: 'grid', gridTemplateColumns: '1fr 2fr', gap: tokens.spacingHorizontalM, alignItems: 'start' },
  group: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    paddingInlineStart: tokens.spacingHorizontalL,
    borderLeft: `2px solid ${tokens.colorNeutralStroke2}`,
  },
});

interface ListenerEditorProps {
  config: GatewayConfig;
  /** The listener's place in the list; `config.listeners.length` for a new one. */
  index: number;
  initial: ListenerDraft;
  onSaved(config: GatewayConfig): void;
  onCancel(): void;
}

export function ListenerEditor({ config, index, initial, onSaved, onCancel }: ListenerEditorProps) {
  const styles = useStyles();
  const { client, change } = useDashboard();
  const { draft, set } = useDraft(initial);
  const isNew = index >= config.listeners.length;
  const { busy, issues, submit } = useFormSubmit(FIELDS, (found) => placeSettingsIssues(found, `listeners[${index}]`, FIELDS));

  const save = () =>
    submit(async () => {
      const listeners: ListenerConfig[] = [...config.listeners];
      listeners[index] = listenerOfDraft(draft);
      const description = isNew ? `Add the listener on port ${draft.port}` : `Change the listener on port ${config.listeners[index]?.port}`;
      const saved = await change(description, () => client.updateSettings({ listeners }), { quiet: true });
      onSaved(saved);
    });

  return (
    <SettingsForm
      label={isNew ? 'New listener' : `Listener on port ${config.listeners[index]?.port}`}
      submitLabel={isNew ? 'Add listener' : 'Save listener'}
      busy={busy}
      problems={issues.general}
      onSubmit={() => void save()}
      onCancel={onCancel}
    >
      <div className={styles.pair}>
        <Field label="Port" required validationMessage={issues.byField.port}>
          <Input type="number" min={1} max={65535} value={draft.port} onChange={(_e, d) => set('port', d.value)} autoFocus />
        </Field>
        <Field label="Address" validationMessage={issues.byField.host} hint="0.0.0.0 listens on every network interface; 127.0.0.1 only on this machine">
          <Input value={draft.host} onChange={(_e, d) => set('host', d.value)} />
        </Field>
      </div>
      <Field label="Protocol" validationMessage={issues.byField.tls}>
        <RadioGroup value={draft.security} onChange={(_e, d) => set('security', d.value as ListenerSecurity)}>
          <Radio value="http" label="HTTP" />
          <Radio value="pfx" label="HTTPS with a .pfx file (as Windows exports it)" />
          <Radio value="pem" label="HTTPS with a PEM certificate and key" />
        </RadioGroup>
      </Field>

      {draft.security === 'pfx' && (
        <div className={styles.group}>
          <CertificateFileField
            label="PFX file"
            value={draft.pfxPath}
            placeholder="certs\intranet.pfx"
            error={issues.byField['tls.pfxPath']}
            explainRelativePaths
            onChange={(value) => set('pfxPath', value)}
          />
          <PassphraseField label="Passphrase" value={draft.passphrase} error={issues.byField['tls.passphrase']} onChange={(value) => set('passphrase', value)} />
        </div>
      )}
      {draft.security === 'pem' && (
        <div className={styles.group}>
          <CertificateFileField
            label="Certificate file (PEM)"
            value={draft.certPath}
            placeholder="certs\intranet.crt"
            error={issues.byField['tls.certPath']}
            explainRelativePaths
            onChange={(value) => set('certPath', value)}
          />
          <CertificateFileField
            label="Private key file (PEM)"
            value={draft.keyPath}
            placeholder="certs\intranet.key"
            error={issues.byField['tls.keyPath']}
            onChange={(value) => set('keyPath', value)}
          />
          <PassphraseField
            label="Key passphrase (only for an encrypted key)"
            value={draft.passphrase}
            error={issues.byField['tls.passphrase']}
            onChange={(value) => set('passphrase', value)}
          />
        </div>
      )}
      {draft.security === 'http' && (
        <div className={styles.group}>
          <Field validationMessage={issues.byField.redirectToHttps}>
            <Checkbox
              checked={draft.redirect}
              onChange={(_e, d) => set('redirect', d.checked === true)}
              label="Redirect every request to HTTPS (308, keeps the host and path)"
            />
          </Field>
          {draft.redirect && (
            <Field label="HTTPS port" validationMessage={issues.byField['redirectToHttps.port']}>
              <Input type="number" min={1} max={65535} value={draft.redirectPort} onChange={(_e, d) => set('redirectPort', d.value)} />
            </Field>
          )}
        </div>
      )}
    </SettingsForm>
  );
}
