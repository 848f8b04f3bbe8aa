/**
 * The ports the gateway serves users on, each with whether it is listening, its certificates and
 * anything to act on (a certificate about to expire). Opens the editor for one listener at a time.
 */
import { useState } from 'react';
import {
  Badge,
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { AddRegular, DeleteRegular, EditRegular, LockClosedRegular, WarningRegular } from '@fluentui/react-icons';
import type { GatewayConfig, ListenerConfig, ListenerStatus } from '../../../proxy/control/control-api.js';
import { messageOf } from '../control-client-error.js';
import { useDashboard } from '../dashboard-context.js';
import { draftOfListener, newListenerDraft } from '../listener-draft.js';
import { ListenerEditor } from './ListenerEditor.js';

const useStyles = makeStyles({
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  item: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  line: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  address: { fontFamily: tokens.fontFamilyMonospace, marginInlineEnd: 'auto' },
  detail: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200, display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  error: { color: tokens.colorPaletteRedForeground1, fontSize: tokens.fontSizeBase200 },
  footer: { display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: tokens.spacingHorizontalM },
  note: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
});

interface ListenersSettingsProps {
  config: GatewayConfig;
  onSaved(config: GatewayConfig): void;
}

export function ListenersSettings({ config, onSaved }: ListenersSettingsProps) {
  const styles = useStyles();
  const { client, change, snapshot } = useDashboard();
  const [editing, setEditing] = useState<number | null>(null);
  const [removing, setRemoving] = useState<number | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);

  if (editing !== null) {
    const existing = config.listeners[editing];
    return (
      <ListenerEditor
        config={config}
        index={editing}
        initial={existing ? draftOfListener(existing) : newListenerDraft(config.listeners)}
        onSaved={(saved) => {
          setEditing(null);
          onSaved(saved);
        }}
        onCancel={() => setEditing(null)}
      />
    );
  }

  const remove = async (index: number) => {
    const listeners = config.listeners.filter((_listener, i) => i !== index);
    try {
      const saved = await change(`Remove the listener on port ${config.listeners[index]?.port}`, () => client.updateSettings({ listeners }), {
        quiet: true,
      });
      setRemoving(null);
      setRemoveError(null);
      onSaved(saved);
    } catch (error) {
      setRemoveError(messageOf(error));
    }
  };

  return (
    <div className={styles.list}>
      {config.listeners.length === 0 && <Text>No listeners: the gateway serves no one until you add one.</Text>}
      {config.listeners.map((listener, index) => (
        <div key={`${listener.port}-${index}`} className={styles.item} role="group" aria-label={`Listener on port ${listener.port}`}>
          <ListenerSummary listener={listener} status={statusOf(snapshot.listeners, listener)} />
          {removing === index ? (
            <MessageBar intent="warning">
              <MessageBarBody>
                {removeError ?? `Stop listening on port ${listener.port}? Users who reach the gateway through it can no longer connect.`}
              </MessageBarBody>
              <MessageBarActions>
                <Button size="small" appearance="primary" onClick={() => void remove(index)}>
                  Remove
                </Button>
                <Button
                  size="small"
                  onClick={() => {
                    setRemoving(null);
                    setRemoveError(null);
                  }}
                >
                  Keep
                </Button>
              </MessageBarActions>
            </MessageBar>
          ) : (
            <div className={styles.line}>
              <Button size="small" icon={<EditRegular />} onClick={() => setEditing(index)} aria-label={`Edit the listener on port ${listener.port}`}>
                Edit
              </Button>
              <Button size="small" appearance="subtle" icon={<DeleteRegular />} onClick={() => setRemoving(index)} aria-label={`Remove the listener on port ${listener.port}`}>
                Remove
              </Button>
            </div>
          )}
        </div>
      ))}
      <div className={styles.footer}>
        <span className={styles.note}>The web console and admin API are on their own port, which listeners never change.</span>
        <Button icon={<AddRegular />} onClick={() => setEditing(config.listeners.length)}>
          Add listener
        </Button>
      </div>
    </div>
  );
}

function ListenerSummary({ listener, status }: { listener: ListenerConfig; status: ListenerStatus | undefined }) {
  const styles = useStyles();
  const https = listener.tls !== undefined;
  return (
    <>
      <div className={styles.line}>
        <Badge appearance="tint" color={https ? 'brand' : 'informative'} icon={https ? <LockClosedRegular /> : undefined} data-testid="listener-protocol">
          {https ? 'HTTPS' : 'HTTP'}
        </Badge>
        <span className={styles.address}>
          {listener.host}:{listener.port}
        </span>
        {status === undefined ? (
          <Badge appearance="outline" color="informative">
            Starting
          </Badge>
        ) : status.listening ? (
          <Badge appearance="tint" color="success">
            Listening
          </Badge>
        ) : (
          <Badge appearance="tint" color="danger">
            Not listening
          </Badge>
        )}
      </div>
      {status && !status.listening && status.error && <span className={styles.error}>{status.error}</span>}
      {listener.redirectToHttps && <span className={styles.detail}>Redirects every request to HTTPS on port {listener.redirectToHttps.port}</span>}
      {status?.certificates?.map((certificate) => (
        <span key={certificate.fingerprint256} className={styles.detail} data-testid="listener-certificate">
          <LockClosedRegular />
          {certificate.hostnames.length > 0 ? `${certificate.hostnames.join(', ')}: ` : ''}
          {certificate.subject} · issued by {certificate.issuer} · expires {new Date(certificate.notAfter).toLocaleDateString(undefined, { dateStyle: 'medium' })}
        </span>
      ))}
      {status?.warnings?.map((warning) => (
        <MessageBar key={warning} intent="warning" icon={<WarningRegular />}>
          <MessageBarBody>{warning}</MessageBarBody>
        </MessageBar>
      ))}
    </>
  );
}

/** The running listener for a configured one: the same port (ports are unique among listeners). */
function statusOf(statuses: ListenerStatus[], listener: ListenerConfig): ListenerStatus | undefined {
  return statuses.find((status) => status.port === listener.port);
}
