import { makeStyles, tokens } from '@fluentui/react-components';

/** The column layout shared by the server rows of a cluster and their header. */
export const useServerGridStyles = makeStyles({
  grid: {
    display: 'grid',
    gridTemplateColumns: 'minmax(200px, 1.5fr) minmax(236px, 1.2fr) minmax(96px, 0.6fr) minmax(180px, 1.3fr) 92px 152px',
    columnGap: tokens.spacingHorizontalL,
    alignItems: 'center',
    paddingInline: tokens.spacingHorizontalL,
  },
});
