/** One cluster: its summary, its settings at a glance, and a row per server. */
import {
  Button,
  Card,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { AddRegular, ArrowSwapRegular, DeleteRegular, MoreHorizontalRegular, SettingsRegular } from '@fluentui/react-icons';
import type { ClusterSnapshot } from '../../../proxy/control/control-api.js';
import { clusterOutage } from '../cluster-outage.js';
import { useDashboard } from '../dashboard-context.js';
import { formatCount, formatDuration, formatRate } from '../format.js';
import type { SessionHistory } from '../session-history.js';
import type { HighlightRequest } from '../use-server-target.js';
import { ServerRow } from './ServerRow.js';
import { useServerGridStyles } from './server-grid.js';

const useStyles = makeStyles({
  card: { padding: 0, gap: 0, overflow: 'visible' },
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalL,
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalL}`,
    flexWrap: 'wrap',
  },
  title: { display: 'flex', flexDirection: 'column', gap: '2px', marginInlineEnd: 'auto', minWidth: 0 },
  titleLine: { display: 'flex', alignItems: 'baseline', gap: tokens.spacingHorizontalS },
  settings: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  figures: { display: 'flex', gap: tokens.spacingHorizontalXXL },
  figure: { display: 'flex', flexDirection: 'column', alignItems: 'flex-end' },
  figureValue: { fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold, fontVariantNumeric: 'tabular-nums' },
  figureLabel: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  toolbar: { display: 'flex', gap: tokens.spacingHorizontalXS },
  columns: {
    paddingBlock: tokens.spacingVerticalXS,
    color: tokens.colorNeutralForeground3,
    fontSize: tokens.fontSizeBase200,
    backgroundColor: tokens.colorNeutralBackground2,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  empty: {
    padding: tokens.spacingHorizontalL,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
    color: tokens.colorNeutralForeground3,
  },
  outage: { borderRadius: 0 },
});

interface ClusterCardProps {
  cluster: ClusterSnapshot;
  history: SessionHistory;
  dark: boolean;
  now: number;
  /** A server of this cluster the admin asked to see. */
  highlight: HighlightRequest | null;
}

export function ClusterCard({ cluster, history, dark, now, highlight }: ClusterCardProps) {
  const styles = useStyles();
  const grid = useServerGridStyles();
  const { openDialog } = useDashboard();
  const outage = clusterOutage(cluster);
  const activeCapacity = cluster.servers.filter((s) => s.state === 'active').reduce((sum, s) => sum + s.capacity, 0);
  const settings = [
    cluster.sessionMethod === 'cookie' ? 'Sessions by cookie' : 'Sessions by client address',
    `expire after ${formatDuration(cluster.sessionTimeoutSec * 1000)} idle`,
    cluster.balancing === 'least-sessions' ? 'fewest sessions first' : 'round-robin',
    `${cluster.healthCheck.type.toUpperCase()} health check every ${formatDuration(cluster.healthCheck.intervalSec * 1000)}`,
  ].join(' · ');

  return (
    <Card className={styles.card} role="region" aria-label={`Cluster ${cluster.name}`}>
      <div className={styles.header}>
        <div className={styles.title}>
          <div className={styles.titleLine}>
            <Text as="h2" size={500} weight="semibold">
              {cluster.name}
            </Text>
          </div>
          <span className={styles.settings}>{settings}</span>
        </div>
        <div className={styles.figures}>
          <div className={styles.figure}>
            <span className={styles.figureValue}>{formatCount(cluster.sessions)}</span>
            <span className={styles.figureLabel}>live sessions</span>
          </div>
          <div className={styles.figure}>
            <span className={styles.figureValue}>{formatRate(cluster.requestsPerSec)}</span>
            <span className={styles.figureLabel}>requests/s</span>
          </div>
        </div>
        <div className={styles.toolbar}>
          <Button icon={<AddRegular />} onClick={() => openDialog({ kind: 'add-server', cluster })}>
            Add server
          </Button>
          <Button
            icon={<ArrowSwapRegular />}
            disabled={cluster.servers.length === 0}
            onClick={() => openDialog({ kind: 'replace-server', cluster })}
          >
            Replace server
          </Button>
          <Menu>
            <MenuTrigger disableButtonEnhancement>
              <Button appearance="subtle" icon={<MoreHorizontalRegular />} aria-label={`More actions for cluster ${cluster.name}`} />
            </MenuTrigger>
            <MenuPopover>
              <MenuList>
                <MenuItem icon={<SettingsRegular />} onClick={() => openDialog({ kind: 'edit-cluster', cluster })}>
                  Cluster settings…
                </MenuItem>
                <MenuItem icon={<DeleteRegular />} onClick={() => openDialog({ kind: 'remove-cluster', cluster })}>
                  Remove cluster…
                </MenuItem>
              </MenuList>
            </MenuPopover>
          </Menu>
        </div>
      </div>

      {outage && (
        <MessageBar intent="error" layout="multiline" className={styles.outage} data-testid="cluster-down">
          <MessageBarBody>
            <MessageBarTitle>{outage.title}</MessageBarTitle>
            {outage.detail}
          </MessageBarBody>
        </MessageBar>
      )}
      {cluster.servers.length === 0 ? (
        <div className={styles.empty}>No servers yet: requests routed here get 503. Add the first one to start sending traffic to this cluster.</div>
      ) : (
        <>
          <div className={mergeClasses(grid.grid, grid.header, styles.columns)} data-testid="column-titles">
            <span className={grid.identity}>Server</span>
            <span className={grid.sessions}>Live sessions (last 5 min)</span>
            <span className={grid.traffic}>Traffic</span>
            <span className={grid.capacity}>Capacity</span>
            <span className={grid.power}>Enabled</span>
            <span className={grid.actions} />
          </div>
          {cluster.servers.map((server) => (
            <ServerRow
              key={server.id}
              cluster={cluster}
              server={server}
              series={history.of(cluster.id, server.id)}
              share={activeCapacity > 0 && server.state === 'active' ? server.capacity / activeCapacity : 0}
              dark={dark}
              now={now}
              highlightedAt={highlight?.serverId === server.id ? highlight.requestedAt : null}
            />
          ))}
        </>
      )}
    </Card>
  );
}
