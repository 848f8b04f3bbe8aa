/**
 * A server's live sessions. The list can hold a hundred thousand rows, so only the rows on screen
 * are rendered; it refreshes itself every few seconds while the page is visible.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  Button,
  DrawerBody,
  DrawerHeader,
  DrawerHeaderTitle,
  MessageBar,
  MessageBarBody,
  OverlayDrawer,
  Spinner,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { ArrowClockwiseRegular, DismissRegular } from '@fluentui/react-icons';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ClusterSnapshot, ServerSnapshot, SessionList } from '../../../proxy/control-api.js';
import { messageOf } from '../control-client-error.js';
import { useDashboard } from '../dashboard-context.js';
import { formatClock, formatCount, formatDuration } from '../format.js';
import { usePageVisible } from '../use-page-visible.js';

const SESSION_LIMIT = 100_000;
const REFRESH_MS = 5000;
const ROW_HEIGHT = 36;

const useStyles = makeStyles({
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, paddingBottom: tokens.spacingVerticalL },
  summary: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  table: {
    display: 'flex',
    flexDirection: 'column',
    flexGrow: 1,
    minHeight: 0,
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  row: {
    display: 'grid',
    gridTemplateColumns: '1.6fr 1fr 1fr 0.8fr 1.1fr',
    alignItems: 'center',
    paddingInline: tokens.spacingHorizontalM,
    height: `${ROW_HEIGHT}px`,
    boxSizing: 'border-box',
    fontVariantNumeric: 'tabular-nums',
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
  },
  header: {
    fontWeight: tokens.fontWeightSemibold,
    backgroundColor: tokens.colorNeutralBackground2,
    color: tokens.colorNeutralForeground2,
  },
  scroller: { overflowY: 'auto', flexGrow: 1, minHeight: '200px', position: 'relative' },
  client: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200 },
  numeric: { textAlign: 'right', paddingInlineEnd: tokens.spacingHorizontalL },
});

interface SessionsDrawerProps {
  cluster: ClusterSnapshot;
  server: ServerSnapshot;
  onClose(): void;
}

export function SessionsDrawer({ cluster, server, onClose }: SessionsDrawerProps) {
  const styles = useStyles();
  const { client } = useDashboard();
  const visible = usePageVisible();
  const [list, setList] = useState<SessionList | null>(null);
  const [loadedAt, setLoadedAt] = useState(Date.now());
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);

  const load = useCallback(() => {
    setLoading(true);
    client
      .listSessions(cluster.id, server.id, { limit: SESSION_LIMIT })
      .then(
        (result) => {
          setList(result);
          setLoadedAt(Date.now());
          setError(null);
        },
        (failure: unknown) => setError(messageOf(failure)),
      )
      .finally(() => setLoading(false));
  }, [client, cluster.id, server.id]);

  useEffect(() => {
    if (!visible) return undefined;
    load();
    const timer = window.setInterval(load, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [visible, load]);

  const sessions = list?.sessions ?? [];
  const virtualizer = useVirtualizer({
    count: sessions.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  return (
    <OverlayDrawer open position="end" size="large" onOpenChange={(_e, data) => !data.open && onClose()}>
      <DrawerHeader>
        <DrawerHeaderTitle
          action={<Button appearance="subtle" aria-label="Close" icon={<DismissRegular />} onClick={onClose} />}
        >
          Live sessions of {server.name}
        </DrawerHeaderTitle>
      </DrawerHeader>
      <DrawerBody className={styles.body}>
        <div className={styles.summary}>
          <Text data-testid="session-total">
            {list === null
              ? 'Loading…'
              : list.total > sessions.length
                ? `${formatCount(list.total)} live sessions, showing the ${formatCount(sessions.length)} seen most recently`
                : `${formatCount(list.total)} live ${list.total === 1 ? 'session' : 'sessions'}`}
          </Text>
          {loading && <Spinner size="extra-tiny" />}
          <Button appearance="subtle" icon={<ArrowClockwiseRegular />} onClick={load} style={{ marginInlineStart: 'auto' }}>
            Refresh
          </Button>
        </div>
        {error && (
          <MessageBar intent="error">
            <MessageBarBody>{error}</MessageBarBody>
          </MessageBar>
        )}
        <div className={styles.table} role="table" aria-label={`Live sessions of ${server.name}`} aria-rowcount={sessions.length + 1}>
          <div className={mergeClasses(styles.row, styles.header)} role="row" aria-rowindex={1}>
            <span role="columnheader">Client</span>
            <span role="columnheader">Age</span>
            <span role="columnheader">Idle</span>
            <span role="columnheader" className={styles.numeric}>
              Requests
            </span>
            <span role="columnheader">Expires</span>
          </div>
          <div ref={scroller} className={styles.scroller} role="rowgroup">
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((item) => {
                const session = sessions[item.index];
                if (!session) return null;
                return (
                  <div
                    key={item.key}
                    role="row"
                    aria-rowindex={item.index + 2}
                    className={styles.row}
                    style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}
                  >
                    <span role="cell" className={styles.client} title={`Session ${session.id}`}>
                      {session.client}
                    </span>
                    <span role="cell">{formatDuration(loadedAt - session.createdAt)}</span>
                    <span role="cell">{formatDuration(loadedAt - session.lastSeenAt)}</span>
                    <span role="cell" className={styles.numeric}>
                      {formatCount(session.requests)}
                    </span>
                    <span role="cell">{formatClock(session.expiresAt, loadedAt)}</span>
                  </div>
                );
              })}
            </div>
          </div>
        </div>
      </DrawerBody>
    </OverlayDrawer>
  );
}
