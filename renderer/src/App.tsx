/**
 * Chooses how to reach the gateway — the Electron bridge when there is one, otherwise the admin
 * HTTP API with a token — and shows the sign-in until a token has been accepted.
 */
import { useCallback, useEffect, useState } from 'react';
import { FluentProvider } from '@fluentui/react-components';
import { createBridgeControlClient } from './bridge-control-client.js';
import type { ControlClient } from './control-client.js';
import { ControlError } from '../../proxy/control/control-error.js';
import { forgetToken, saveToken, storedToken, takeTokenFromAddress } from './console-token.js';
import { Dashboard } from './components/Dashboard.js';
import { SignIn } from './components/SignIn.js';
import { HttpControlClient } from './http-control-client.js';
import { useSystemTheme } from './use-system-theme.js';

const REFUSED = 'That access token was not accepted. Check that it is the current one: it changes when the configuration is recreated.';

type Access =
  | { phase: 'checking'; token: string }
  | { phase: 'signed-out'; problem: string | null }
  | { phase: 'signed-in'; client: ControlClient; inBrowser: boolean };

function initialAccess(): Access {
  if (window.switchboard) return { phase: 'signed-in', client: createBridgeControlClient(window.switchboard), inBrowser: false };
  const token = takeTokenFromAddress() ?? storedToken();
  return token ? { phase: 'checking', token } : { phase: 'signed-out', problem: null };
}

export function App() {
  const { theme, dark } = useSystemTheme();
  const [access, setAccess] = useState<Access>(initialAccess);

  useEffect(() => {
    if (access.phase !== 'checking') return;
    const client = new HttpControlClient(window.location.origin, access.token);
    let current = true;
    client.getState().then(
      () => {
        if (!current) return;
        saveToken(access.token);
        setAccess({ phase: 'signed-in', client, inBrowser: true });
      },
      (error: unknown) => {
        if (!current) return;
        if (error instanceof ControlError && error.code === 'unauthorized') {
          forgetToken();
          setAccess({ phase: 'signed-out', problem: REFUSED });
        } else {
          // The gateway may just be restarting: go on and let the dashboard reconnect.
          setAccess({ phase: 'signed-in', client, inBrowser: true });
        }
      },
    );
    return () => {
      current = false;
    };
  }, [access]);

  // A console link pasted into a tab that is already open only changes the fragment.
  useEffect(() => {
    if (window.switchboard) return undefined;
    const onHashChange = () => {
      const token = takeTokenFromAddress();
      if (token) setAccess({ phase: 'checking', token });
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  const signOut = useCallback(() => {
    forgetToken();
    setAccess({ phase: 'signed-out', problem: null });
  }, []);

  const refused = useCallback(() => {
    forgetToken();
    setAccess({ phase: 'signed-out', problem: REFUSED });
  }, []);

  return (
    <FluentProvider theme={theme}>
      {access.phase === 'signed-in' ? (
        <Dashboard client={access.client} dark={dark} onSignOut={access.inBrowser ? signOut : undefined} onUnauthorized={refused} />
      ) : (
        <SignIn
          problem={access.phase === 'signed-out' ? access.problem : null}
          busy={access.phase === 'checking'}
          onSubmit={(token) => setAccess({ phase: 'checking', token })}
        />
      )}
    </FluentProvider>
  );
}
