/**
 * A server's live sessions: sortable, filterable, exportable as CSV, and each one can be ended
 * (after confirming) to finish a drain early. The list can hold a hundred thousand rows, so only
 * the rows on screen are rendered; it refreshes itself every few seconds while the page is visible.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Button,
  DrawerBody,
  DrawerHeader,
  DrawerHeaderTitle,
  Input,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  OverlayDrawer,
  Spinner,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { ArrowClockwiseRegular, ArrowDownloadRegular, DismissRegular, FilterRegular } from '@fluentui/react-icons';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ClusterSnapshot, ServerSnapshot, SessionInfo, SessionList } from '../../../proxy/control/control-api.js';
import { MAX_SESSION_LIST_LIMIT } from '../../../proxy/control/control-arguments.js';
import { messageOf } from '../control-client-error.js';
import { useDashboard } from '../dashboard-context.js';
import { formatClock, formatCount, formatDuration } from '../format.js';
import { download, sessionsCsv } from '../session-csv.js';
import { usePageVisible } from '../use-page-visible.js';

const REFRESH_MS = 5000;
const ROW_HEIGHT = 36;

type SortKey = 'id' | 'client' | 'createdAt' | 'lastSeenAt' | 'requests' | 'expiresAt';

/** Column, its title, and the direction a first click sorts in (newest or most first for times and counts). */
const COLUMNS: { key: SortKey; title: string; numeric?: boolean; firstDirection: 'ascending' | 'descending' }[] = [
  { key: 'id', title: 'Session', firstDirection: 'ascending' },
  { key: 'client', title: 'Client', firstDirection: 'ascending' },
  { key: 'createdAt', title: 'Age', firstDirection: 'ascending' },
  { key: 'lastSeenAt', title: 'Idle', firstDirection: 'descending' },
  { key: 'requests', title: 'Requests', numeric: true, firstDirection: 'descending' },
  { key: 'expiresAt', title: 'Expires', firstDirection: 'ascending' },
];

function compare(a: SessionInfo, b: SessionInfo, key: SortKey): number {
  const x = a[key];
  const y = b[key];
  return typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
}

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
    gridTemplateColumns: '0.9fr 1.3fr 0.8fr 0.8fr 0.8fr 1fr 64px',
    columnGap: tokens.spacingHorizontalS,
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
  sortButton: { minWidth: 0, paddingInline: 0, fontWeight: tokens.fontWeightSemibold, justifyContent: 'flex-start' },
  tools: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  filter: { flexGrow: 1, minWidth: '180px' },
});

interface SessionsDrawerProps {
  cluster: ClusterSnapshot;
  server: ServerSnapshot;
  onClose(): void;
}

export function SessionsDrawer({ cluster, server, onClose }: SessionsDrawerProps) {
  const styles = useStyles();
  const { client, change } = useDashboard();
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; direction: 'ascending' | 'descending' }>({ key: 'lastSeenAt', direction: 'descending' });
  const [pending, setPending] = useState<SessionInfo | null>(null);
  const [ending, setEnding] = useState(false);
  const visible = usePageVisible();
  const [list, setList] = useState<SessionList | null>(null);
  const [loadedAt, setLoadedAt] = useState(Date.now());
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);

  const load = useCallback(() => {
    setLoading(true);
    client
      .listSessions(cluster.id, server.id, { limit: MAX_SESSION_LIST_LIMIT })
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

  const sessions = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const found = (list?.sessions ?? []).filter((s) => !needle || s.client.toLowerCase().includes(needle) || s.id.toLowerCase().includes(needle));
    const sign = sort.direction === 'ascending' ? 1 : -1;
    return found.sort((a, b) => sign * compare(a, b, sort.key));
  }, [list, filter, sort]);

  const sortBy = (key: SortKey) => {
    const column = COLUMNS.find((c) => c.key === key)!;
    setSort((current) =>
      current.key === key
        ? { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' }
        : { key, direction: column.firstDirection },
    );
  };

  const endPending = async () => {
    if (!pending) return;
    setEnding(true);
    try {
      await change(`End session ${pending.id}`, () => client.endSession(cluster.id, server.id, pending.id), { quiet: true });
      setPending(null);
      load();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setEnding(false);
    }
  };

  const exportCsv = () => {
    const day = new Date().toISOString().slice(0, 10);
    download(`sessions-${cluster.id}-${server.id}-${day}.csv`, sessionsCsv(sessions), 'text/csv');
  };
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
              : list.total > list.sessions.length
                ? `${formatCount(list.total)} live sessions, showing the ${formatCount(list.sessions.length)} seen most recently`
                : `${formatCount(list.total)} live ${list.total === 1 ? 'session' : 'sessions'}`}
          </Text>
          {loading && <Spinner size="extra-tiny" />}
          <Button appearance="subtle" icon={<ArrowClockwiseRegular />} onClick={load} style={{ marginInlineStart: 'auto' }}>
            Refresh
          </Button>
        </div>
        <div className={styles.tools}>
          <Input
            className={styles.filter}
            contentBefore={<FilterRegular />}
            value={filter}
            onChange={(_e, d) => setFilter(d.value)}
            placeholder="Client address or session id"
            aria-label="Filter sessions by client address or session id"
          />
          <Button icon={<ArrowDownloadRegular />} disabled={sessions.length === 0} onClick={exportCsv}>
            Export CSV
          </Button>
        </div>
        {filter.trim() !== '' && list !== null && (
          <Text data-testid="session-filtered" aria-live="polite">
            {formatCount(sessions.length)} of {formatCount(list.sessions.length)} match
          </Text>
        )}
        {pending && (
          <MessageBar intent="warning" layout="multiline" data-testid="end-session-confirm">
            <MessageBarBody>
              End session {pending.id} of {pending.client}? It ends now: this user's next request starts a new session on an active
              server, and anything kept in the old session (a basket, a half-filled form) is lost.
            </MessageBarBody>
            <MessageBarActions>
              <Button appearance="primary" disabled={ending} onClick={() => void endPending()}>
                End session
              </Button>
              <Button disabled={ending} onClick={() => setPending(null)}>
                Keep it
              </Button>
            </MessageBarActions>
          </MessageBar>
        )}
        {error && (
          <MessageBar intent="error">
            <MessageBarBody>{error}</MessageBarBody>
          </MessageBar>
        )}
        <div className={styles.table} role="table" aria-label={`Live sessions of ${server.name}`} aria-rowcount={sessions.length + 1}>
          <div className={mergeClasses(styles.row, styles.header)} role="row" aria-rowindex={1}>
            {COLUMNS.map((column) => (
              <span
                key={column.key}
                role="columnheader"
                aria-sort={sort.key === column.key ? sort.direction : 'none'}
                className={column.numeric ? styles.numeric : undefined}
              >
                <Button appearance="transparent" size="small" className={styles.sortButton} onClick={() => sortBy(column.key)}>
                  {column.title}
                  {sort.key === column.key ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ''}
                </Button>
              </span>
            ))}
            <span role="columnheader">End</span>
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
                    <span role="cell" className={styles.client}>
                      {session.id}
                    </span>
                    <span role="cell" className={styles.client}>
                      {session.client}
                    </span>
                    <span role="cell">{formatDuration(loadedAt - session.createdAt)}</span>
                    <span role="cell">{formatDuration(loadedAt - session.lastSeenAt)}</span>
                    <span role="cell" className={styles.numeric}>
                      {formatCount(session.requests)}
                    </span>
                    <span role="cell">{formatClock(session.expiresAt, loadedAt)}</span>
                    <span role="cell">
                      <Button size="small" aria-label={`End session ${session.id}`} onClick={() => setPending(session)}>
                        End
                      </Button>
                    </span>
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
