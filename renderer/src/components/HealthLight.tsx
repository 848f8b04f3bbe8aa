import { Tooltip, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import type { ServerSnapshot } from '../../../proxy/control/control-api.js';
import { formatClock } from '../format.js';

const useStyles = makeStyles({
  light: {
    display: 'inline-block',
    width: '10px',
    height: '10px',
    borderRadius: tokens.borderRadiusCircular,
    flexShrink: 0,
  },
  healthy: { backgroundColor: tokens.colorPaletteGreenBackground3, boxShadow: `0 0 0 3px ${tokens.colorPaletteGreenBackground1}` },
  failing: { backgroundColor: tokens.colorPaletteRedBackground3, boxShadow: `0 0 0 3px ${tokens.colorPaletteRedBackground1}` },
  unknown: { backgroundColor: tokens.colorNeutralForeground4, boxShadow: `0 0 0 3px ${tokens.colorNeutralBackground4}` },
});

/** Green when health checks pass, red when they fail, grey for a server that is disabled. */
export function HealthLight({ server }: { server: ServerSnapshot }) {
  const styles = useStyles();
  const { health } = server;
  const kind = !server.enabled ? 'unknown' : server.online ? 'healthy' : 'failing';
  const checked = health.lastCheckAt === null ? 'not checked yet' : `last checked ${formatClock(health.lastCheckAt)}`;
  const description =
    kind === 'unknown'
      ? `Health of ${server.name}: disabled`
      : kind === 'healthy'
        ? `Health of ${server.name}: responding (${checked})`
        : `Health of ${server.name}: not responding — ${health.lastError ?? 'health check failed'} (${checked})`;
  return (
    // The dot is not a tab stop: its words are its accessible name, and the row says the same in its badge.
    <Tooltip content={description} relationship="description" withArrow>
      <span className={mergeClasses(styles.light, styles[kind])} role="img" aria-label={description} data-health={kind} />
    </Tooltip>
  );
}
