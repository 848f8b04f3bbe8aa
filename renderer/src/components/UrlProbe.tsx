/**
 * "Test" for a server's URL: one health probe through the gateway, with the cluster's own health
 * check, and its outcome in words — how long it took, or why it failed. Nothing is saved.
 */
import { useCallback, useRef, useState } from 'react';
import { Button, Spinner, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { CheckmarkCircleRegular, ErrorCircleRegular, PlugConnectedRegular } from '@fluentui/react-icons';
import type { ProbeReport } from '../../../proxy/control/control-api.js';
import { messageOf } from '../control-client-error.js';
import { useDashboard } from '../dashboard-context.js';
import { formatMilliseconds } from '../format.js';

export type ProbeOutcome = { kind: 'report'; report: ProbeReport } | { kind: 'refused'; message: string };

/** Runs probes for one cluster; an answer to an older probe never overwrites a newer one. */
export function useUrlProbe(clusterId: string) {
  const { client } = useDashboard();
  const [outcome, setOutcome] = useState<ProbeOutcome | null>(null);
  const [busy, setBusy] = useState(false);
  const latest = useRef(0);

  const run = useCallback(
    async (url: string, tlsFingerprint?: string): Promise<ProbeOutcome> => {
      const call = ++latest.current;
      setBusy(true);
      let result: ProbeOutcome;
      try {
        const report = await client.probeServer(clusterId, { url, ...(tlsFingerprint ? { tlsFingerprint } : {}) });
        result = { kind: 'report', report };
      } catch (error) {
        result = { kind: 'refused', message: messageOf(error) };
      }
      if (call === latest.current) {
        setOutcome(result);
        setBusy(false);
      }
      return result;
    },
    [client, clusterId],
  );

  const reset = useCallback(() => {
    latest.current++;
    setOutcome(null);
    setBusy(false);
  }, []);

  return { outcome, busy, run, reset };
}

const useStyles = makeStyles({
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', minHeight: '32px' },
  result: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalXS, overflowWrap: 'anywhere' },
  ok: { color: tokens.colorPaletteGreenForeground1 },
  failed: { color: tokens.colorPaletteRedForeground1 },
});

export function describeOutcome(outcome: ProbeOutcome): string {
  if (outcome.kind === 'refused') return outcome.message;
  const { report } = outcome;
  return report.ok
    ? `Answered in ${formatMilliseconds(report.durationMs)} (${report.check})`
    : `Failed after ${formatMilliseconds(report.durationMs)}: ${report.error ?? 'no answer'} (${report.check})`;
}

export function probePassed(outcome: ProbeOutcome | null): boolean {
  return outcome?.kind === 'report' && outcome.report.ok;
}

interface UrlProbeProps {
  serverName: string;
  busy: boolean;
  outcome: ProbeOutcome | null;
  disabled?: boolean;
  onTest(): void;
}

/** The Test button and, beside it, the last result (announced politely to screen readers). */
export function UrlProbe({ serverName, busy, outcome, disabled, onTest }: UrlProbeProps) {
  const styles = useStyles();
  const passed = probePassed(outcome);
  return (
    <div className={styles.row}>
      <Button
        icon={busy ? <Spinner size="tiny" /> : <PlugConnectedRegular />}
        disabled={busy || disabled}
        onClick={onTest}
        aria-label={`Test the URL of ${serverName || 'the server'}`}
      >
        Test
      </Button>
      <span role="status" data-testid="probe-result" className={mergeClasses(styles.result, outcome !== null && (passed ? styles.ok : styles.failed))}>
        {outcome && (passed ? <CheckmarkCircleRegular aria-hidden /> : <ErrorCircleRegular aria-hidden />)}
        {busy ? 'Testing…' : outcome ? describeOutcome(outcome) : ''}
      </span>
    </div>
  );
}
