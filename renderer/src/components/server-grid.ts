import { makeStyles, tokens } from '@fluentui/react-components';

/** Below this width a server takes two lines: figures first, controls second. */
const NARROW = '@media (max-width: 1180px)';

/**
 * The column layout shared by the server rows of a cluster and their header. Each row is its own
 * grid, so no column may be sized by its content, or the rows would not line up.
 */
export const useServerGridStyles = makeStyles({
  grid: {
    display: 'grid',
    gridTemplateColumns: 'minmax(180px, 1.5fr) minmax(220px, 1.2fr) minmax(90px, 0.6fr) minmax(160px, 1.3fr) 116px 168px',
    gridTemplateAreas: '"identity sessions traffic capacity power actions"',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalS,
    alignItems: 'center',
    paddingInline: tokens.spacingHorizontalL,
    [NARROW]: {
      gridTemplateColumns: 'minmax(0, 1.3fr) minmax(0, 1fr) 168px',
      gridTemplateAreas: '"identity sessions traffic" "capacity power actions"',
    },
  },
  identity: { gridArea: 'identity', minWidth: 0 },
  sessions: { gridArea: 'sessions', minWidth: 0 },
  traffic: { gridArea: 'traffic' },
  capacity: { gridArea: 'capacity', minWidth: 0 },
  power: { gridArea: 'power' },
  actions: { gridArea: 'actions' },
  /** Column titles only make sense while every server is one line. */
  header: { [NARROW]: { display: 'none' } },
});
