import { makeStyles, tokens } from '@fluentui/react-components';
import { ArrowRoutingRegular } from '@fluentui/react-icons';

const useStyles = makeStyles({
  logo: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    width: '32px',
    height: '32px',
    flexShrink: 0,
    fontSize: '20px',
    borderRadius: tokens.borderRadiusLarge,
    color: tokens.colorNeutralForegroundOnBrand,
    backgroundColor: tokens.colorBrandBackground,
  },
});

export function AppLogo() {
  const styles = useStyles();
  return (
    <span className={styles.logo} aria-hidden="true">
      <ArrowRoutingRegular />
    </span>
  );
}
