/**
 * The whole configuration as a file: download it (without the admin token) to keep or copy to
 * another machine, or upload one to replace the running configuration. An upload is validated
 * whole by the gateway; with any problem nothing is applied, and each problem is listed.
 */
import { useRef, useState, type ChangeEvent } from 'react';
import { Button, MessageBar, MessageBarBody, MessageBarTitle, Text, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowDownloadRegular, ArrowUploadRegular } from '@fluentui/react-icons';
import type { GatewayConfig } from '../../../proxy/control/control-api.js';
import { issuesOf, messageOf } from '../control-client-error.js';
import { useDashboard } from '../dashboard-context.js';
import { plural } from '../format.js';
import { download } from '../session-csv.js';

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, alignItems: 'flex-start' },
  issues: { margin: 0, paddingInlineStart: tokens.spacingHorizontalXL },
  hiddenInput: { display: 'none' },
});

type Outcome = { kind: 'imported'; summary: string } | { kind: 'refused'; message: string; issues: string[] };

interface ConfigTransferProps {
  config: GatewayConfig;
  onSaved(config: GatewayConfig): void;
}

export function ConfigTransfer({ config, onSaved }: ConfigTransferProps) {
  const styles = useStyles();
  const { client, change } = useDashboard();
  const fileInput = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const exportConfig = () => {
    const { token: _token, ...admin } = config.admin;
    const day = new Date().toISOString().slice(0, 10);
    download(`switchboard-config-${day}.json`, `${JSON.stringify({ ...config, admin }, null, 2)}\n`, 'application/json');
  };

  const importFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setOutcome(null);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await file.text());
    } catch (error) {
      setOutcome({ kind: 'refused', message: `${file.name} is not valid JSON: ${messageOf(error)}`, issues: [] });
      return;
    }
    setBusy(true);
    try {
      const saved = await change(`Import ${file.name}`, () => client.importConfig(parsed), { quiet: true });
      onSaved(saved);
      setOutcome({
        kind: 'imported',
        summary: `${file.name} is now the configuration: ${plural(saved.clusters.length, 'cluster', 'clusters')}, ${plural(saved.routes.length, 'route', 'routes')}, ${plural(saved.listeners.length, 'listener', 'listeners')}.`,
      });
    } catch (error) {
      const issues = issuesOf(error).map((issue) => (issue.path ? `${issue.path} ${issue.message}` : issue.message));
      setOutcome({ kind: 'refused', message: `${file.name} was not imported; nothing was changed.`, issues: issues.length > 0 ? issues : [messageOf(error)] });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={styles.section}>
      <Text>
        Download the whole configuration as a JSON file (the admin token is left out), or upload one to replace it. An upload is
        checked whole first: if anything in it is wrong, nothing is changed. The console's own address and token stay as they are.
      </Text>
      <Button icon={<ArrowDownloadRegular />} onClick={exportConfig}>
        Export configuration
      </Button>
      <Button icon={<ArrowUploadRegular />} disabled={busy} onClick={() => fileInput.current?.click()}>
        Import configuration…
      </Button>
      <input
        ref={fileInput}
        className={styles.hiddenInput}
        type="file"
        accept="application/json,.json"
        aria-label="Configuration file to import"
        data-testid="config-file"
        onChange={(event) => void importFile(event)}
      />
      {outcome?.kind === 'imported' && (
        <MessageBar intent="success" role="status" data-testid="config-import-result">
          <MessageBarBody>{outcome.summary}</MessageBarBody>
        </MessageBar>
      )}
      {outcome?.kind === 'refused' && (
        <MessageBar intent="error" layout="multiline" role="alert" data-testid="config-import-result">
          <MessageBarBody>
            <MessageBarTitle>{outcome.message}</MessageBarTitle>
            <ul className={styles.issues}>
              {outcome.issues.map((issue) => (
                <li key={issue}>{issue}</li>
              ))}
            </ul>
          </MessageBarBody>
        </MessageBar>
      )}
    </div>
  );
}
