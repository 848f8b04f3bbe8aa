/** The signed-in dashboard: header, link status, one card per cluster, and the dialogs. */
import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Badge,
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { AddRegular, DismissRegular, PauseRegular, PlayRegular, SettingsRegular, SignOutRegular } from '@fluentui/react-icons';
import type { ControlClient } from '../control-client.js';
import { messageOf } from '../control-client-error.js';
import { formatClock } from '../format.js';
import { DashboardContext, type ConfirmRequest, type DashboardContextValue, type DialogRequest } from '../dashboard-context.js';
import { useGateway } from '../use-gateway.js';
import { useServerTarget } from '../use-server-target.js';
import { AppLogo } from './AppLogo.js';
import { ClusterCard } from './ClusterCard.js';

// The dialogs and the session list are needed only on demand; the first paint does without them.
const DialogHost = lazy(() => import('./DialogHost.js').then((module) => ({ default: module.DialogHost })));
const ConfirmDialog = lazy(() => import('./ConfirmDialog.js').then((module) => ({ default: module.ConfirmDialog })));

const PAUSE_QUESTION: ConfirmRequest = {
  title: 'Pause the gateway?',
  consequence:
    'Its listeners close: every user, with or without a session, gets "connection refused" until you resume it. Sessions are kept.',
  confirmLabel: 'Pause gateway',
};

const useStyles = makeStyles({
  page: { minHeight: '100vh', backgroundColor: tokens.colorNeutralBackground3, color: tokens.colorNeutralForeground1 },
  /** The header and the paused banner stay in view while the page scrolls. */
  top: { position: 'sticky', top: 0, zIndex: 10, '@media (max-height: 500px)': { position: 'static' } },
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalXXL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    // On a small screen or at high zoom the buttons wrap instead of squeezing the status badges.
    flexWrap: 'wrap',
    '& .fui-Badge': { flexShrink: 0 },
  },
  heading: { display: 'flex', flexDirection: 'column', marginInlineEnd: 'auto' },
  listeners: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  main: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXXL}`,
    maxWidth: '1480px',
    marginInline: 'auto',
  },
  centered: { display: 'flex', justifyContent: 'center', padding: '96px' },
  /** A disabled fieldset greys out and blocks every control inside it at once; it draws nothing itself. */
  controls: { border: 'none', margin: 0, padding: 0, minWidth: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  pausedBanner: { borderRadius: 0 },
  empty: { display: 'flex', flexDirection: 'column', alignItems: 'center', gap: tokens.spacingVerticalM, padding: '64px' },
});

interface DashboardProps {
  client: ControlClient;
  dark: boolean;
  /** Present in the browser, where the admin signed in with a token. */
  onSignOut?(): void;
  onUnauthorized(): void;
}

export function Dashboard({ client, dark, onSignOut, onUnauthorized }: DashboardProps) {
  const styles = useStyles();
  const { snapshot, history, status, refresh } = useGateway(client);
  const [dialog, setDialog] = useState<DialogRequest | null>(null);
  // The control that opened the dialog gets the focus back when it closes (a menu item is gone
  // by then, so its menu's button does).
  const opener = useRef<HTMLElement | null>(null);
  const lastMenuButton = useRef<HTMLElement | null>(null);
  const openDialog = useCallback((request: DialogRequest) => {
    const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    opener.current = active?.closest<HTMLElement>('[role="menu"]') ? lastMenuButton.current : active;
    setDialog(request);
  }, []);
  const closeDialog = useCallback(() => {
    setDialog(null);
    const target = opener.current;
    window.requestAnimationFrame(() => target?.isConnected && target.focus());
  }, []);
  useEffect(() => {
    const remember = (event: FocusEvent) => {
      const element = event.target instanceof HTMLElement ? event.target : null;
      if (element?.getAttribute('aria-haspopup') === 'menu') lastMenuButton.current = element;
    };
    document.addEventListener('focusin', remember);
    return () => document.removeEventListener('focusin', remember);
  }, []);
  const [failure, setFailure] = useState<{ title: string; message: string } | null>(null);
  const [question, setQuestion] = useState<{ request: ConfirmRequest; answer(confirmed: boolean): void } | null>(null);

  const confirm = useCallback(
    (request: ConfirmRequest) =>
      new Promise<boolean>((resolve) => {
        setQuestion({
          request,
          answer: (confirmed) => {
            setQuestion(null);
            resolve(confirmed);
          },
        });
      }),
    [],
  );
  const highlight = useServerTarget(snapshot !== null);

  useEffect(() => {
    if (status === 'unauthorized') onUnauthorized();
  }, [status, onUnauthorized]);

  const change = useCallback<DashboardContextValue['change']>(
    async (description, send, options) => {
      try {
        const result = await send();
        setFailure(null);
        return result;
      } catch (error) {
        if (!options?.quiet) setFailure({ title: `${description} failed`, message: messageOf(error) });
        throw error;
      } finally {
        refresh();
      }
    },
    [refresh],
  );

  const context = useMemo<DashboardContextValue | null>(
    () => (snapshot ? { client, snapshot, change, openDialog, confirm } : null),
    [client, snapshot, change, openDialog, confirm],
  );

  const offline = status === 'offline';
  const live = status === 'online';
  const listeners = snapshot?.listeners
    .map((l) => `${l.protocol}://${l.host}:${l.port}${l.listening ? '' : ` (not listening: ${l.error ?? 'unknown error'})`}`)
    .join(', ');

  return (
    <div className={styles.page}>
      <div className={styles.top}>
      <header className={styles.header}>
        <AppLogo />
        <div className={styles.heading}>
          <Text as="h1" size={500} weight="semibold">
            Switchboard
          </Text>
          {listeners && <span className={styles.listeners}>Gateway on {listeners}</span>}
        </div>
        {snapshot?.paused && (
          <Badge color="warning" appearance="filled">
            Paused
          </Badge>
        )}
        <Badge appearance="tint" color={status === 'online' ? 'success' : offline ? 'danger' : 'informative'} data-testid="link-status">
          {status === 'online' ? 'Live' : offline ? 'Offline' : 'Connecting'}
        </Badge>
        {snapshot && context && (
          <Button
            appearance="subtle"
            disabled={!live}
            icon={snapshot.paused ? <PlayRegular /> : <PauseRegular />}
            onClick={async () => {
              if (!snapshot.paused && !(await confirm(PAUSE_QUESTION))) return;
              await change(snapshot.paused ? 'Resume the gateway' : 'Pause the gateway', () => client.setPaused(!snapshot.paused)).catch(() => undefined);
            }}
          >
            {snapshot.paused ? 'Resume gateway' : 'Pause gateway'}
          </Button>
        )}
        <Button appearance="subtle" icon={<SettingsRegular />} disabled={!snapshot || !live} onClick={() => openDialog({ kind: 'settings' })}>
          Settings
        </Button>
        <Button appearance="primary" icon={<AddRegular />} disabled={!snapshot || !live} onClick={() => openDialog({ kind: 'add-cluster' })}>
          Add cluster
        </Button>
        {onSignOut && (
          <Button appearance="subtle" icon={<SignOutRegular />} onClick={onSignOut}>
            Sign out
          </Button>
        )}
      </header>
      {snapshot?.paused && (
        <MessageBar intent="warning" layout="multiline" className={styles.pausedBanner} data-testid="paused-banner">
          <MessageBarBody>
            <MessageBarTitle>The gateway is paused</MessageBarTitle>
            Its listeners are closed: every user gets "connection refused" until you resume it. Sessions are kept.
          </MessageBarBody>
          <MessageBarActions>
            <Button
              disabled={!live}
              onClick={() => change('Resume the gateway', () => client.setPaused(false)).catch(() => undefined)}
            >
              Resume gateway
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      </div>

      <main className={styles.main}>
        {offline && (
          <MessageBar intent="warning" role="alert" data-testid="reconnecting">
            <MessageBarBody>
              <MessageBarTitle>Reconnecting…</MessageBarTitle>
              The gateway is not answering; the figures below are from {snapshot ? formatClock(snapshot.at) : 'before'}.
              Changes are disabled until the dashboard has reconnected, which it does by itself as soon as the gateway is back.
            </MessageBarBody>
          </MessageBar>
        )}
        {failure && (
          <MessageBar intent="error" role="alert">
            <MessageBarBody>
              <MessageBarTitle>{failure.title}</MessageBarTitle>
              {failure.message}
            </MessageBarBody>
            <MessageBarActions
              containerAction={<Button appearance="transparent" aria-label="Dismiss" icon={<DismissRegular />} onClick={() => setFailure(null)} />}
            />
          </MessageBar>
        )}
        {!snapshot || !context ? (
          <div className={styles.centered}>
            <Spinner label="Connecting to the gateway…" />
          </div>
        ) : (
          <DashboardContext.Provider value={context}>
            <fieldset className={styles.controls} disabled={!live} data-testid="dashboard-controls">
            {snapshot.clusters.length === 0 ? (
              <div className={styles.empty}>
                <Text size={500} weight="semibold">
                  No clusters yet
                </Text>
                <Text>A cluster is the set of servers that run one application. Add one, then add its servers.</Text>
                <Button appearance="primary" icon={<AddRegular />} onClick={() => openDialog({ kind: 'add-cluster' })}>
                  Add cluster
                </Button>
              </div>
            ) : (
              snapshot.clusters.map((cluster) => (
                <ClusterCard
                  key={cluster.id}
                  cluster={cluster}
                  history={history}
                  dark={dark}
                  now={snapshot.at}
                  highlight={highlight?.clusterId === cluster.id ? highlight : null}
                />
              ))
            )}
            </fieldset>
            {dialog && (
              <Suspense fallback={null}>
                <DialogHost request={dialog} onClose={closeDialog} />
              </Suspense>
            )}
            {question && (
              <Suspense fallback={null}>
                <ConfirmDialog request={question.request} onAnswer={question.answer} />
              </Suspense>
            )}
          </DashboardContext.Provider>
        )}
      </main>
    </div>
  );
}
