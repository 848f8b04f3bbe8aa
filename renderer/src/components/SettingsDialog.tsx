/**
 * The gateway's own settings: the listeners (ports, HTTPS certificates, redirects), the routes, who may use
 * the gateway, the logs, and the whole configuration as a file. Each tab saves on its own; the
 * dialog starts from the current config.
 */
import { useEffect, useState } from 'react';
import { Button, MessageBar, MessageBarBody, Spinner, Tab, TabList, makeStyles, tokens } from '@fluentui/react-components';
import type { GatewayConfig } from '../../../proxy/control/control-api.js';
import { messageOf } from '../control-client-error.js';
import { useDashboard } from '../dashboard-context.js';
import { AccessSettings } from './AccessSettings.js';
import { ConfigTransfer } from './ConfigTransfer.js';
import { DialogFrame } from './DialogFrame.js';
import { ListenersSettings } from './ListenersSettings.js';
import { LogsSettings } from './LogsSettings.js';
import { RoutesSettings } from './RoutesSettings.js';

type SettingsTab = 'listeners' | 'routes' | 'access' | 'logs' | 'configuration';

const useStyles = makeStyles({
  surface: { maxWidth: '780px', width: 'calc(100vw - 48px)' },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minHeight: '360px' },
  tabs: { marginInline: `calc(-1 * ${tokens.spacingHorizontalM})` },
});

export function SettingsDialog({ onClose }: { onClose(): void }) {
  const styles = useStyles();
  const { client } = useDashboard();
  const [tab, setTab] = useState<SettingsTab>('listeners');
  const [config, setConfig] = useState<GatewayConfig | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    client.getConfig().then(
      (loaded) => current && setConfig(loaded),
      (error: unknown) => current && setLoadError(messageOf(error)),
    );
    return () => {
      current = false;
    };
  }, [client]);

  return (
    <DialogFrame
      title="Gateway settings"
      onDismiss={onClose}
      surfaceClassName={styles.surface}
      contentClassName={styles.content}
      aria-label="Gateway settings"
      actions={
        <Button appearance="secondary" onClick={onClose}>
          Close
        </Button>
      }
    >
      <TabList className={styles.tabs} selectedValue={tab} onTabSelect={(_event, data) => setTab(data.value as SettingsTab)}>
        <Tab value="listeners">Listeners</Tab>
        <Tab value="routes">Routes</Tab>
        <Tab value="access">Access</Tab>
        <Tab value="logs">Logs</Tab>
        <Tab value="configuration">Configuration file</Tab>
      </TabList>
      {loadError && (
        <MessageBar intent="error">
          <MessageBarBody>The settings could not be loaded: {loadError}</MessageBarBody>
        </MessageBar>
      )}
      {!config && !loadError && <Spinner label="Loading the settings…" />}
      {config && tab === 'listeners' && <ListenersSettings config={config} onSaved={setConfig} />}
      {config && tab === 'routes' && <RoutesSettings config={config} onSaved={setConfig} />}
      {config && tab === 'access' && <AccessSettings config={config} onSaved={setConfig} />}
      {config && tab === 'logs' && <LogsSettings config={config} onSaved={setConfig} />}
      {config && tab === 'configuration' && <ConfigTransfer config={config} onSaved={setConfig} />}
    </DialogFrame>
  );
}
