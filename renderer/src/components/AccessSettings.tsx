/** Who may use the gateway at all (the server-wide rule), and which proxies in front of it are believed. */
import { Field, Select, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import type { AccessRuleConfig, GatewayConfig } from '../../../proxy/control/control-api.js';
import { DEFAULT_ACCESS_ACTION } from '../config-defaults.js';
import { useDashboard } from '../dashboard-context.js';
import { linesOf } from '../listener-draft.js';
import { placeSettingsIssues } from '../settings-issues.js';
import { SettingsForm } from './SettingsForm.js';
import { useDraft } from './use-draft.js';
import { useFormSubmit } from './use-form-submit.js';

const FIELDS = ['access', 'access.mode', 'access.addresses', 'access.action', 'trustedProxies'] as const;

type AccessMode = 'off' | AccessRuleConfig['mode'];

function accessDraftOf(config: GatewayConfig) {
  return {
    mode: (config.access?.mode ?? 'off') as AccessMode,
    addresses: (config.access?.addresses ?? []).join('\n'),
    action: config.access?.action ?? DEFAULT_ACCESS_ACTION,
    proxies: config.trustedProxies.join('\n'),
  };
}

const useStyles = makeStyles({
  pair: { display: 'grid', gridTemplateColumns: '1fr 1fr', gap: tokens.spacingHorizontalM, alignItems: 'start' },
  addresses: { fontFamily: tokens.fontFamilyMonospace },
});

interface AccessSettingsProps {
  config: GatewayConfig;
  onSaved(config: GatewayConfig): void;
}

export function AccessSettings({ config, onSaved }: AccessSettingsProps) {
  const styles = useStyles();
  const { client, change } = useDashboard();
  const { draft, set } = useDraft(() => accessDraftOf(config));
  const { mode, addresses, action, proxies } = draft;
  const { busy, issues, submit } = useFormSubmit(FIELDS, (found) => placeSettingsIssues(found, '', FIELDS));

  const save = () =>
    submit(async () => {
      const access = mode === 'off' ? null : { mode, addresses: linesOf(addresses), action };
      const saved = await change('Change who may use the gateway', () => client.updateSettings({ access, trustedProxies: linesOf(proxies) }), {
        quiet: true,
      });
      onSaved(saved);
    });

  return (
    <SettingsForm label="Access" submitLabel="Save access rules" busy={busy} problems={issues.general} onSubmit={() => void save()}>
      <div className={styles.pair}>
        <Field label="Who may use the gateway" validationMessage={issues.byField['access.mode'] ?? issues.byField.access}>
          <Select value={mode} onChange={(_e, d) => set('mode', d.value as AccessMode)}>
            <option value="off">Everyone</option>
            <option value="allow">Only the addresses below (allow-list)</option>
            <option value="deny">Everyone except the addresses below (deny-list)</option>
          </Select>
        </Field>
        <Field label="Others get" validationMessage={issues.byField['access.action']}>
          <Select value={action} disabled={mode === 'off'} onChange={(_e, d) => set('action', d.value as AccessRuleConfig['action'])}>
            <option value="403">403 Forbidden page</option>
            <option value="close">No answer (connection closed)</option>
          </Select>
        </Field>
      </div>
      <Field
        label="Addresses"
        validationMessage={issues.byField['access.addresses']}
        hint="One per line: an address (10.1.2.3, fd00::5) or a range (10.0.0.0/8). Checked before each route's own rule."
      >
        <Textarea className={styles.addresses} rows={5} resize="vertical" value={addresses} disabled={mode === 'off'} onChange={(_e, d) => set('addresses', d.value)} />
      </Field>
      <Field
        label="Trusted proxies"
        validationMessage={issues.byField.trustedProxies}
        hint="One per line: reverse proxies or load balancers in front of the gateway. Only their X-Forwarded-For is believed."
      >
        <Textarea className={styles.addresses} rows={3} resize="vertical" value={proxies} onChange={(_e, d) => set('proxies', d.value)} />
      </Field>
    </SettingsForm>
  );
}
