/** The web console's sign-in: the admin pastes the access token (or opens the link that carries it). */
import { useState, type FormEvent } from 'react';
import {
  Button,
  Card,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { KeyRegular } from '@fluentui/react-icons';
import { AppLogo } from './AppLogo.js';

const useStyles = makeStyles({
  page: {
    minHeight: '100vh',
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    backgroundColor: tokens.colorNeutralBackground3,
    padding: tokens.spacingHorizontalL,
  },
  card: { width: '440px', maxWidth: '100%', padding: tokens.spacingHorizontalXXL, gap: tokens.spacingVerticalL },
  title: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
});

interface SignInProps {
  /** Why the admin is asked (again), e.g. a refused token. */
  problem: string | null;
  busy: boolean;
  onSubmit(token: string): void;
}

export function SignIn({ problem, busy, onSubmit }: SignInProps) {
  const styles = useStyles();
  const [token, setToken] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim()) onSubmit(token.trim());
  };
  return (
    <div className={styles.page}>
      <Card className={styles.card}>
        <div className={styles.title}>
          <AppLogo />
          <Text as="h1" size={600} weight="semibold">
            Switchboard
          </Text>
        </div>
        <Text>
          Sign in with the admin access token. The full web console link, with the token in it, is in the Switchboard tray menu and in
          the headless gateway's start-up output.
        </Text>
        {problem && (
          <MessageBar intent="error" role="alert">
            <MessageBarBody>{problem}</MessageBarBody>
          </MessageBar>
        )}
        <form className={styles.form} onSubmit={submit}>
          <Field label="Access token" required>
            <Input
              type="password"
              value={token}
              contentBefore={<KeyRegular />}
              onChange={(_e, d) => setToken(d.value)}
              autoComplete="off"
              autoFocus
            />
          </Field>
          <Button appearance="primary" type="submit" disabled={busy || !token.trim()} icon={busy ? <Spinner size="tiny" /> : undefined}>
            Sign in
          </Button>
        </form>
      </Card>
    </div>
  );
}
