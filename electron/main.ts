/**
 * The desktop app: the gateway in the main process (or attached to the Windows service), a tray
 * icon with quick actions, the dashboard window, notifications. This file only wires the parts
 * together, one `setupX()` step each, in the order `onReady()` lists them.
 */
import { app, clipboard, session, shell } from 'electron';
import { FileStateStore } from '../proxy/config/state-store.js';
import { startSwitchboard } from '../proxy/switchboard.js';
import { appPaths, type AppPaths } from './app-paths.js';
import { hardenSession, hardenWebContents, isDashboardPage } from './content-security.js';
import { askBeforeOutage, tellAboutCrashedStartup, tellAboutFailedAction, tellAboutFailedStart, tellAboutRecovery } from './dialogs.js';
import { ElectronConfigStore } from './electron-config-store.js';
import { messageOf } from './error-message.js';
import { createFileLogger, type FileLogger } from './file-logger.js';
import { AttachedGateway } from './gateway/attached-gateway.js';
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
import { DashboardWindow } from './window/dashboard-window.js';
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
  setupApp();
  app
    .whenReady()
    .then(onReady)
    .catch((error: unknown) => {
      tellAboutCrashedStartup(error);
      app.exit(1);
    });
}

async function onReady(): Promise<void> {
  const paths = appPaths();
  const logger = setupLogging(paths);
  hardenSession(session.defaultSession, paths.dashboardDirUrl);
  let tray: TrayController | null = null;
  const { runner, smokeEnvironment } = await setupGateway(paths, logger, () => void tray?.refresh());
  const window = setupDashboardWindow(paths);
  const bridge = setupIpc(runner, window, paths);
  const quit = setupQuit(runner, window, async () => {
    bridge.dispose();
    tray?.destroy();
    await smokeEnvironment?.close();
  });
  const applyStartAtLogin = setupStartAtLogin(logger, () => void tray?.refresh());
  tray = setupTray(runner, window, logger, applyStartAtLogin, quit);
  runner.onEvent((event) => tray?.handleEvent(event));
  runner.onEvent((event) => bridge.sendEvent(event));
  setupNotifications(runner, window);
  setupLaunchArguments(window, applyStartAtLogin);

  if (smokeTest) {
    quit(await runSmoke(runner, window, logger, smokeEnvironment));
    return;
  }
  await startGateway(runner, window, logger);
}

/** App-wide settings that must be in place before the app is ready. */
function setupApp(): void {
  app.setAppUserModelId(APP_USER_MODEL_ID);
  // A tray app lives on after its window closes.
  app.on('window-all-closed', () => {});
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
}

function setupLogging(paths: AppPaths): FileLogger {
  const logger = createFileLogger(paths.logs);
  process.on('uncaughtException', (error) => logger.error('uncaught exception', { error: error.stack ?? error.message }));
  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', { error: String(reason) }));
  return logger;
}

/** With the Windows service installed, the service is the gateway and this app only attaches to it. */
async function setupGateway(
  paths: AppPaths,
  logger: FileLogger,
  onStatusChange: () => void,
): Promise<{ runner: GatewayConnection; smokeEnvironment: SmokeEnvironment | null }> {
  const installation = findServiceInstallation(serviceDataDir());
  const smokeEnvironment = smokeTest && !installation ? await prepareSmokeEnvironment() : null;
  const settingsDir = smokeEnvironment?.directory ?? paths.userData;
  const runner: GatewayConnection = installation
    ? new AttachedGateway({ readEndpoint: () => readServiceEndpoint(installation.configPath), logger, onStatusChange })
    : new GatewayRunner({
        start: () =>
          startSwitchboard({
            configStore: new ElectronConfigStore({
              directory: settingsDir,
              onRecovered: (recovery) => {
                logger.error('settings file was unreadable and has been set aside', { ...recovery });
                tellAboutRecovery(recovery);
              },
            }),
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
  return { runner, smokeEnvironment };
}

function setupDashboardWindow(paths: AppPaths): DashboardWindow {
  return new DashboardWindow({
    indexHtmlPath: paths.indexHtml,
    preloadPath: paths.preload,
    icon: windowIconImage(),
    boundsStore: new WindowBoundsStore(),
    showWhenReady: !smokeTest,
  });
}

function setupIpc(runner: GatewayConnection, window: DashboardWindow, paths: AppPaths): ReturnType<typeof registerIpcHandlers> {
  return registerIpcHandlers({
    control: () => runner.control(),
    isTrustedSender: (event) =>
      event.sender === window.webContents() && isDashboardPage(event.senderFrame?.url ?? '', paths.indexHtmlUrl),
    target: window,
  });
}

function setupNotifications(runner: GatewayConnection, window: DashboardWindow): void {
  runner.onEvent(createServerNotifier(createDesktopNotificationPresenter((target) => window.show(target))));
}

/**
 * Quitting, from the tray or from Windows, stops the gateway gracefully before the app exits.
 * Returns the quit function, which runs once however often it is called.
 */
function setupQuit(runner: GatewayConnection, window: DashboardWindow, cleanUp: () => Promise<void>): (exitCode?: number) => void {
  let quitting = false;
  const quit = (exitCode = 0): void => {
    if (quitting) return;
    quitting = true;
    window.allowClose();
    void runner.stop(QUIT_GRACE_MS).finally(async () => {
      await cleanUp();
      app.exit(exitCode);
    });
  };
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quit();
  });
  return quit;
}

/** Returns the function that switches start at login, logging a failure instead of throwing. */
function setupStartAtLogin(logger: FileLogger, afterChange: () => void): (enabled: boolean) => void {
  return (enabled) => {
    try {
      setStartAtLogin(enabled);
    } catch (error) {
      logger.error('could not change start at login', { error: messageOf(error) });
    }
    afterChange();
  };
}

function setupTray(
  runner: GatewayConnection,
  window: DashboardWindow,
  logger: FileLogger,
  applyStartAtLogin: (enabled: boolean) => void,
  quit: () => void,
): TrayController {
  return new TrayController({
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
        const message = messageOf(error);
        logger.warn(`tray action failed: ${action}`, { error: message });
        tellAboutFailedAction(action, message);
      },
    }),
    status: () => runner.status,
    fetchSnapshot: async () => (await runner.control()?.getState()) ?? null,
    startAtLogin: () => safeIsStartAtLoginEnabled(),
    logger,
  });
}

/** The installer's start-at-login option, on this launch or handed over by a second one. */
function setupLaunchArguments(window: DashboardWindow, applyStartAtLogin: (enabled: boolean) => void): void {
  handleSecondLaunch = (argv) => {
    if (argv.includes(ENABLE_START_AT_LOGIN_ARG)) applyStartAtLogin(true);
    else window.show();
  };
  if (launchArgs.includes(ENABLE_START_AT_LOGIN_ARG)) applyStartAtLogin(true);
}

/** Starts the gateway, then opens the window, so the dashboard's first call finds it running. */
async function startGateway(runner: GatewayConnection, window: DashboardWindow, logger: FileLogger): Promise<void> {
  const started = await runner.start();
  // Attached, an unreachable service is shown in the tray and retried: no dialog.
  if (!started && runner.status.kind === 'failed') tellAboutFailedStart(runner.status.message, logger.path);
  if (!launchArgs.includes(START_HIDDEN_ARG) && !launchArgs.includes(ENABLE_START_AT_LOGIN_ARG)) window.show();
}

/** Runs the smoke test against this app; resolves the exit code. */
async function runSmoke(
  runner: GatewayConnection,
  window: DashboardWindow,
  logger: FileLogger,
  smokeEnvironment: SmokeEnvironment | null,
): Promise<number> {
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
  return result.ok ? 0 : 1;
}

function safeIsStartAtLoginEnabled(): boolean {
  try {
    return isStartAtLoginEnabled();
  } catch {
    return false;
  }
}
