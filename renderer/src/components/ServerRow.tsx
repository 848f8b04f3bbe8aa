/** One server of a cluster: who it is, how it is doing, and the controls an admin needs. */
import { useEffect, useRef, useState } from 'react';
import {
  Button,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Switch,
  Text,
  Tooltip,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import {
  ArrowSwapRegular,
  ArrowTrendingDownRegular,
  ArrowUndoRegular,
  CheckmarkCircleRegular,
  DeleteRegular,
  EditRegular,
  MoreHorizontalRegular,
  PauseCircleRegular,
  PeopleRegular,
  PlugDisconnectedRegular,
} from '@fluentui/react-icons';
import type { ClusterSnapshot, ServerSnapshot } from '../../../proxy/control/control-api.js';
import { useDashboard } from '../dashboard-context.js';
import { lastServerQuestion, leavesNoActiveServer, type ServerChange } from '../outage-check.js';
import { summarizeErrors } from '../error-summary.js';
import { formatClock, formatCount, formatDuration, formatMilliseconds, formatRate, plural } from '../format.js';
import type { SessionSeries } from '../session-history.js';
import { CapacitySlider } from './CapacitySlider.js';
import { HealthLight } from './HealthLight.js';
import { ServerStateBadge } from './ServerStateBadge.js';
import { SessionChart } from './SessionChart.js';
import { useServerGridStyles } from './server-grid.js';

const useStyles = makeStyles({
  row: {
    paddingBlock: tokens.spacingVerticalM,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  identity: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM },
  names: { display: 'flex', flexDirection: 'column', minWidth: 0, gap: '2px' },
  nameLine: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, minWidth: 0, '& > .fui-Badge': { flexShrink: 0 } },
  name: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  url: {
    color: tokens.colorNeutralForeground3,
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  sessions: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM },
  bigNumber: {
    fontSize: tokens.fontSizeHero700,
    lineHeight: tokens.lineHeightHero700,
    fontWeight: tokens.fontWeightSemibold,
    fontVariantNumeric: 'tabular-nums',
    minWidth: '2ch',
  },
  traffic: { display: 'flex', flexDirection: 'column', fontVariantNumeric: 'tabular-nums', gap: '2px' },
  muted: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  errors: { color: tokens.colorPaletteRedForeground1, fontSize: tokens.fontSizeBase200 },
  actions: { display: 'flex', justifyContent: 'flex-end', gap: tokens.spacingHorizontalXS },
  notice: {
    gridColumn: '1 / -1',
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    marginTop: tokens.spacingVerticalS,
    paddingBlock: tokens.spacingVerticalXS,
    paddingInline: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    fontSize: tokens.fontSizeBase300,
  },
  draining: { backgroundColor: tokens.colorPaletteYellowBackground1, color: tokens.colorNeutralForeground1 },
  standby: { backgroundColor: tokens.colorNeutralBackground3, color: tokens.colorNeutralForeground2 },
  drained: { backgroundColor: tokens.colorPaletteGreenBackground1, color: tokens.colorPaletteGreenForeground1 },
  offline: { backgroundColor: tokens.colorPaletteRedBackground1, color: tokens.colorPaletteRedForeground1 },
  /** Read by screen readers, not shown: the row's badge and notice show the same. */
  announcement: { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clipPath: 'inset(50%)', whiteSpace: 'nowrap' },
  /** An offline server is greyed so that it stands apart from those taking traffic. */
  dimmed: { backgroundColor: tokens.colorNeutralBackground4, '& .uplot': { opacity: 0.4 } },
  highlighted: {
    backgroundColor: tokens.colorBrandBackground2,
    boxShadow: `inset 4px 0 0 ${tokens.colorBrandStroke1}`,
    transitionProperty: 'background-color, box-shadow',
    transitionDuration: tokens.durationSlow,
  },
});

interface ServerRowProps {
  cluster: ClusterSnapshot;
  server: ServerSnapshot;
  series: SessionSeries;
  /** This server's share of new sessions, 0–1. */
  share: number;
  dark: boolean;
  now: number;
  /** When the admin asked to see this server (`#server=…`), while it is highlighted. */
  highlightedAt: number | null;
}

export function ServerRow({ cluster, server, series, share, dark, now, highlightedAt }: ServerRowProps) {
  const styles = useStyles();
  const grid = useServerGridStyles();
  const { client, change, openDialog, confirm } = useDashboard();
  const [switching, setSwitching] = useState<boolean | null>(null);
  const enabled = switching ?? server.enabled;
  const drained = server.capacity === 0;
  const rowRef = useRef<HTMLDivElement>(null);
  const errors = summarizeErrors(server.errorWindow);

  useEffect(() => {
    if (highlightedAt !== null) rowRef.current?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }, [highlightedAt]);

  /** True when the change is harmless or the admin confirmed it after being told what users will see. */
  const allowed = (serverChange: ServerChange, confirmLabel: string) =>
    leavesNoActiveServer(cluster, server.id, serverChange)
      ? confirm(lastServerQuestion(cluster, server, serverChange, confirmLabel))
      : Promise.resolve(true);

  const setCapacity = async (capacity: number) => {
    // A refusal rejects, so that the slider goes back to the gateway's value.
    if (!(await allowed({ capacity }, 'Set capacity to 0'))) throw new Error('cancelled');
    await change(`Set the capacity of ${server.name}`, () => client.updateServer(cluster.id, server.id, { capacity }));
  };

  const setEnabled = async (next: boolean) => {
    setSwitching(next);
    try {
      if (!(await allowed({ enabled: next }, `Disable ${server.name}`))) return;
      await change(`${next ? 'Enable' : 'Disable'} ${server.name}`, () => client.updateServer(cluster.id, server.id, { enabled: next }));
    } catch {
      // The page banner reports a failed change.
    } finally {
      setSwitching(null);
    }
  };

  const drain = async () => {
    if (!(await allowed({ capacity: 0 }, `Drain ${server.name}`))) return;
    await change(`Drain ${server.name}`, () => client.drainServer(cluster.id, server.id)).catch(() => undefined);
  };

  const restore = () => change(`Restore ${server.name}`, () => client.restoreServer(cluster.id, server.id)).catch(() => undefined);

  return (
    <div
      ref={rowRef}
      role="group"
      aria-label={`Server ${server.name}`}
      className={mergeClasses(grid.grid, styles.row, server.state === 'offline' && styles.dimmed, highlightedAt !== null && styles.highlighted)}
      data-dimmed={server.state === 'offline' ? 'true' : undefined}
      data-cluster-id={cluster.id}
      data-server-id={server.id}
      data-highlighted={highlightedAt !== null ? 'true' : undefined}
    >
      <div className={mergeClasses(grid.identity, styles.identity)}>
        <HealthLight server={server} />
        <div className={styles.names}>
          <div className={styles.nameLine}>
            <Text weight="semibold" className={styles.name}>
              {server.name}
            </Text>
            <ServerStateBadge state={server.state} standby={server.standby} />
          </div>
          <span className={styles.url} title={server.url}>
            {server.url}
          </span>
        </div>
      </div>

      <div className={mergeClasses(grid.sessions, styles.sessions)}>
        <span className={styles.bigNumber} data-testid="live-sessions" aria-label={`Live sessions on ${server.name}: ${server.sessions}`}>
          {formatCount(server.sessions)}
        </span>
        <SessionChart series={series} dark={dark} label={`Live sessions on ${server.name} over the last hour`} />
      </div>

      <div className={mergeClasses(grid.traffic, styles.traffic)} data-testid="server-traffic">
        <Text>{formatRate(server.requestsPerSec)} req/s</Text>
        <span className={styles.muted} data-testid="latency">
          p50 {formatMilliseconds(server.latencyMs.p50)} · p99 {formatMilliseconds(server.latencyMs.p99)}
        </span>
        <span className={errors.total > 0 ? styles.errors : styles.muted} data-testid="error-rate">
          {errors.rate}
        </span>
        {errors.classes && (
          <span className={styles.errors} data-testid="error-classes">
            {errors.classes}
          </span>
        )}
      </div>

      <div className={grid.capacity}>
        <CapacitySlider serverName={server.name} capacity={server.capacity} onCommit={setCapacity} />
        <span className={styles.muted}>
          {server.state === 'active' ? `${Math.round(share * 100)}% of new sessions` : 'No new sessions'}
        </span>
      </div>

      <Switch
        className={grid.power}
        checked={enabled}
        label={enabled ? 'Enabled' : 'Disabled'}
        aria-label={`${server.name} enabled`}
        onChange={(_event, data) => void setEnabled(data.checked)}
      />

      <div className={mergeClasses(grid.actions, styles.actions)}>
        <Tooltip content={`Live sessions of ${server.name}`} relationship="label">
          <Button appearance="subtle" icon={<PeopleRegular />} onClick={() => openDialog({ kind: 'sessions', cluster, server })} />
        </Tooltip>
        <Button
          appearance="subtle"
          icon={drained ? <ArrowUndoRegular /> : <ArrowTrendingDownRegular />}
          aria-label={`${drained ? 'Restore' : 'Drain'} ${server.name}`}
          onClick={() => void (drained ? restore() : drain())}
        >
          {drained ? 'Restore' : 'Drain'}
        </Button>
        <Menu>
          <MenuTrigger disableButtonEnhancement>
            <Button appearance="subtle" icon={<MoreHorizontalRegular />} aria-label={`More actions for ${server.name}`} />
          </MenuTrigger>
          <MenuPopover>
            <MenuList>
              <MenuItem icon={<EditRegular />} onClick={() => openDialog({ kind: 'edit-server', cluster, server })}>
                Edit server…
              </MenuItem>
              <MenuItem icon={<ArrowSwapRegular />} onClick={() => openDialog({ kind: 'replace-server', cluster, server })}>
                Replace with a new version…
              </MenuItem>
              <MenuItem icon={<DeleteRegular />} onClick={() => openDialog({ kind: 'remove-server', cluster, server })}>
                Remove server…
              </MenuItem>
            </MenuList>
          </MenuPopover>
        </Menu>
      </div>

      <ServerNotice cluster={cluster} server={server} now={now} />
      {/* Announces each change of state once; the notice above (with its countdown) is not a live region. */}
      <span role="status" className={styles.announcement} data-testid="state-announcement">
        {server.name}: {stateWords(server)}
      </span>
    </div>
  );
}

function ServerNotice({ cluster, server, now }: { cluster: ClusterSnapshot; server: ServerSnapshot; now: number }) {
  const styles = useStyles();
  if (server.state === 'draining') {
    const remaining = [
      plural(server.sessions, 'session', 'sessions'),
      server.inflight > 0 ? plural(server.inflight, 'request in flight', 'requests in flight') : null,
      server.websockets > 0 ? plural(server.websockets, 'WebSocket', 'WebSockets') : null,
      server.pinnedConnections > 0
        ? plural(server.pinnedConnections, 'Windows-authenticated connection', 'Windows-authenticated connections')
        : null,
    ].filter(Boolean);
    const expiry =
      server.sessionsExpireBy === null
        ? ''
        : ` · all expire by ${formatClock(server.sessionsExpireBy, now)} at the latest (in ${formatDuration(server.sessionsExpireBy - now)}) if no one returns`;
    // A pinned connection closes a few seconds after its user stops working, so it ends with the sessions.
    const pinnedEnd = server.pinnedConnections > 0 ? ' · Windows-authenticated connections close when their users stop working' : '';
    return (
      <div className={mergeClasses(styles.notice, styles.draining)} data-testid="server-notice">
        <ArrowTrendingDownRegular />
        <span>
          Draining: {remaining.join(', ')} remaining{expiry}{pinnedEnd}
        </span>
      </div>
    );
  }
  if (server.state === 'drained' && server.standby) {
    return (
      <div className={mergeClasses(styles.notice, styles.standby)} data-testid="server-notice">
        <PauseCircleRegular />
        <span>Standby: takes no new sessions until its capacity is raised.</span>
      </div>
    );
  }
  if (server.state === 'drained' && !cluster.servers.some((s) => s.state === 'active')) {
    return (
      <div className={mergeClasses(styles.notice, styles.draining)} data-testid="server-notice">
        <CheckmarkCircleRegular />
        <span>No sessions left on {server.name}, but no server of {cluster.name} is active: restore it or bring another one up before stopping it.</span>
      </div>
    );
  }
  if (server.state === 'drained') {
    const when = server.drainedAt === null ? '' : ` (drained at ${formatClock(server.drainedAt, now)})`;
    return (
      <div className={mergeClasses(styles.notice, styles.drained)} data-testid="server-notice">
        <CheckmarkCircleRegular />
        <span>
          No sessions left — safe to stop {server.name}
          {when}.
        </span>
      </div>
    );
  }
  if (server.state === 'offline') {
    return (
      <div className={mergeClasses(styles.notice, styles.offline)} data-testid="server-notice">
        <PlugDisconnectedRegular />
        <span>
          Not responding: {server.health.lastError ?? 'health checks fail'}.{' '}
          {cluster.servers.some((s) => s.id !== server.id && s.state === 'active')
            ? 'Its users are moved to other servers on their next request.'
            : 'No other server is active: its users get an error page.'}
        </span>
      </div>
    );
  }
  return null;
}

function stateWords(server: ServerSnapshot): string {
  switch (server.state) {
    case 'active':
      return 'active';
    case 'draining':
      return 'draining';
    case 'drained':
      return server.standby ? 'standby, takes no new sessions' : 'drained, no sessions left';
    case 'offline':
      return 'offline, not responding';
    case 'disabled':
      return 'disabled';
  }
}
