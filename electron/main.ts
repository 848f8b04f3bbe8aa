/**
 * The desktop app: the gateway in the main process, a tray icon with quick actions, the
 * dashboard window, notifications. This file only wires the parts together.
 */
import { app, clipboard, dialog, session, shell } from 'electron';
import { FileStateStore } from '../proxy/config/state-store.js';
import { startSwitchboard } from '../proxy/switchboard.js';
import { appPaths } from './app-paths.js';
import { AttachedGateway } from './gateway/attached-gateway.js';
import { hardenSession, hardenWebContents, isDashboardPage } from './content-security.js';
import { DashboardWindow } from './window/dashboard-window.js';
import { ElectronConfigStore, type ConfigRecovery } from './electron-config-store.js';
import { createFileLogger } from './file-logger.js';
import type { GatewayConnection } from './gateway/gateway-connection.js';
import { GatewayRunner } from './gateway/gateway-runner.js';
import { trayIconImages, windowIconImage } from './icons/icon-images.js';
import { registerIpcHandlers } from './ipc-handlers.js';
import { createDesktopNotificationPresenter, createServerNotifier } from './notifications.js';
import { controlService } from './service/service-control.js';
import { findServiceInstallation, readServiceEndpoint } from './service/service-installation.js';
import { serviceDataDir } from './service/service-layout.js';
import { claimSingleInstance } from './single-instance.js';
import { SMOKE_BACKEND_BODY, SMOKE_TEST_ARG, prepareSmokeEnvironment, runSmokeTest, type SmokeEnvironment } from './smoke-test.js';
import {
  ENABLE_START_AT_LOGIN_ARG,
  START_HIDDEN_ARG,
  isStartAtLoginEnabled,
  setStartAtLogin,
} from './start-at-login.js';
import { createTrayActions } from './tray/tray-actions.js';
import { TrayController } from './tray/tray-controller.js';
import type { OutageWarning } from './tray/tray-outage.js';
import { WindowBoundsStore } from './window/window-bounds-store.js';

/** How long in-flight requests may take to finish when the app quits. */
const QUIT_GRACE_MS = 10_000;
/** Must match `appId` in build/electron-builder.yml, or Windows shows no notifications. */
const APP_USER_MODEL_ID = 'com.switchboard.desktop';

/** This launch's command line: `--start-hidden` from the login item, installer options. */
const launchArgs = [...process.argv];
/** `npm run smoke`: prove the app works under real Electron, then exit (electron/smoke-test.ts). */
const smokeTest = launchArgs.includes(SMOKE_TEST_ARG);
let handleSecondLaunch: (argv: string[]) => void = () => {};

// The smoke test runs beside an app that may already be running, with settings of its own.
if (!smokeTest && !claimSingleInstance((argv) => handleSecondLaunch(argv))) {
  app.quit();
} else {
  app.setAppUserModelId(APP_USER_MODEL_ID);
  // A tray app lives on after its window closes.
  app.on('window-all-closed', () => {});
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app
    .whenReady()
    .then(startDesktop)
    .catch((error: unknown) => {
      // Only the shell itself gets here: gateway failures are shown in the tray instead.
      dialog.showErrorBox('Switchboard could not start', error instanceof Error ? (error.stack ?? error.message) : String(error));
      app.exit(1);
    });
}

async function startDesktop(): Promise<void> {
  const paths = appPaths();
  const logger = createFileLogger(paths.logs);
  process.on('uncaughtException', (error) => logger.error('uncaught exception', { error: error.stack ?? error.message }));
  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', { error: String(reason) }));

  hardenSession(session.defaultSession, paths.dashboardDirUrl);

  let tray: TrayController | null = null;
  const onStatusChange = (): void => void tray?.refresh();
  // With the Windows service installed, the service is the gateway and this app only attaches to it.
  const installation = findServiceInstallation(serviceDataDir());
  const smokeEnvironment: SmokeEnvironment | null = smokeTest && !installation ? await prepareSmokeEnvironment() : null;
  const settingsDir = smokeEnvironment?.directory ?? paths.userData;
  const runner: GatewayConnection = installation
    ? new AttachedGateway({ readEndpoint: () => readServiceEndpoint(installation.configPath), logger, onStatusChange })
    : new GatewayRunner({
        start: () =>
          startSwitchboard({
            configStore: new ElectronConfigStore({ directory: settingsDir, onRecovered: (recovery) => tellAboutRecovery(recovery, logger) }),
            stateStore: new FileStateStore(settingsDir, 'switchboard'),
            dashboardDir: paths.dashboardDir,
            logger,
          }),
        logger,
        onStatusChange,
      });
  logger.info(installation ? 'attaching to the gateway service' : 'running the gateway in this app', {
    ...(installation ? { serviceSettings: installation.configPath } : {}),
  });

  const window = new DashboardWindow({
    indexHtmlPath: paths.indexHtml,
    preloadPath: paths.preload,
    icon: windowIconImage(),
    boundsStore: new WindowBoundsStore(),
    showWhenReady: !smokeTest,
  });

  const bridge = registerIpcHandlers({
    control: () => runner.control(),
    isTrustedSender: (event) =>
      event.sender === window.webContents() && isDashboardPage(event.senderFrame?.url ?? '', paths.indexHtmlUrl),
    target: window,
  });

  const notify = createServerNotifier(createDesktopNotificationPresenter((target) => window.show(target)));

  let quitting = false;
  const quit = (exitCode = 0): void => {
    if (quitting) return;
    quitting = true;
    window.allowClose();
    void runner.stop(QUIT_GRACE_MS).finally(async () => {
      bridge.dispose();
      tray?.destroy();
      await smokeEnvironment?.close();
      app.exit(exitCode);
    });
  };
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quit();
  });

  const applyStartAtLogin = (enabled: boolean): void => {
    try {
      setStartAtLogin(enabled);
    } catch (error) {
      logger.error('could not change start at login', { error: error instanceof Error ? error.message : String(error) });
    }
    void tray?.refresh();
  };

  tray = new TrayController({
    icons: trayIconImages(),
    mode: runner.mode,
    actions: createTrayActions({
      control: () => runner.control(),
      openDashboard: (target) => window.show(target),
      consoleUrl: () => runner.consoleUrl(),
      // Reviewed: only the web console's own http:// address, built from the gateway's config, is opened.
      openInBrowser: (url) => {
        if (/^https?:\/\//.test(url)) void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK
      },
      copyText: (text) => clipboard.writeText(text),
      setStartAtLogin: applyStartAtLogin,
      controlService: (action) => controlService(action),
      confirm: askBeforeOutage,
      quit: () => quit(),
      reportFailure: (action, error) => {
        const message = error instanceof Error ? error.message : String(error);
        logger.warn(`tray action failed: ${action}`, { error: message });
        dialog.showErrorBox(`${action} failed`, message);
      },
    }),
    status: () => runner.status,
    fetchSnapshot: async () => (await runner.control()?.getState()) ?? null,
    startAtLogin: () => safeIsStartAtLoginEnabled(),
    logger,
  });

  runner.onEvent((event) => tray?.handleEvent(event));
  runner.onEvent((event) => bridge.sendEvent(event));
  runner.onEvent(notify);

  handleSecondLaunch = (argv) => {
    if (argv.includes(ENABLE_START_AT_LOGIN_ARG)) applyStartAtLogin(true);
    else window.show();
  };
  if (launchArgs.includes(ENABLE_START_AT_LOGIN_ARG)) applyStartAtLogin(true);

  if (smokeTest) {
    const result = await runSmokeTest({
      connection: runner,
      openDashboard: () => {
        window.show();
        const contents = window.webContents();
        if (contents === null) throw new Error('the dashboard window has no page');
        return contents;
      },
      expectedBody: smokeEnvironment ? SMOKE_BACKEND_BODY : null,
      log: (line) => {
        logger.info(`smoke test: ${line}`);
        console.log(`smoke test: ${line}`);
      },
    });
    if (result.ok) console.log('smoke test: passed');
    else console.error(`smoke test: FAILED: ${result.reason}`);
    logger.info(`smoke test ${result.ok ? 'passed' : 'failed'}`, result.ok ? {} : { reason: result.reason });
    quit(result.ok ? 0 : 1);
    return;
  }

  // The window opens once the gateway answers, so the dashboard's first call finds it running.
  const started = await runner.start();
  // Attached, an unreachable service is shown in the tray and retried: no dialog.
  if (!started && runner.status.kind === 'failed') tellAboutFailedStart(runner.status.message, logger.path);
  if (!launchArgs.includes(START_HIDDEN_ARG) && !launchArgs.includes(ENABLE_START_AT_LOGIN_ARG)) window.show();
}

function tellAboutFailedStart(message: string, logPath: string): void {
  void dialog.showMessageBox({
    type: 'error',
    title: 'Switchboard gateway is not running',
    message: 'The gateway could not start.',
    detail: `${message}\n\nSwitchboard stays in the notification area; fix the cause and restart it from there (Quit, then start it again). Details are in:\n${logPath}`,
    buttons: ['OK'],
  });
}

async function askBeforeOutage(warning: OutageWarning): Promise<boolean> {
  const { response } = await dialog.showMessageBox({
    type: 'warning',
    title: warning.title,
    message: warning.message,
    detail: warning.detail,
    buttons: [warning.confirmLabel, 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
  });
  return response === 0;
}

function safeIsStartAtLoginEnabled(): boolean {
  try {
    return isStartAtLoginEnabled();
  } catch {
    return false;
  }
}

function tellAboutRecovery(recovery: ConfigRecovery, logger: ReturnType<typeof createFileLogger>): void {
  logger.error('settings file was unreadable and has been set aside', { ...recovery });
  const startedWith = recovery.startedWith === 'last-good' ? 'the last settings that worked' : 'default settings';
  void dialog.showMessageBox({
    type: 'warning',
    title: 'Switchboard settings were damaged',
    message: `Switchboard started with ${startedWith}.`,
    detail: `The settings file could not be used: ${recovery.reason}\n\nIt was kept as:\n${recovery.backupPath}`,
    buttons: ['OK'],
  });
}
