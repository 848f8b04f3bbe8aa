/**
 * A stand-in for the `electron` module (whose binary cannot be downloaded here): just enough of
 * app, ipcMain, Tray, Menu, Notification, BrowserWindow, nativeImage, screen, dialog, shell and clipboard for the
 * desktop shell's code to run, recording what it was asked to do. Test files install it with
 * `vi.mock('electron', () => import('./fake-electron.js'))` and reset it with `resetFakeElectron()`.
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

interface LoginItem {
  openAtLogin: boolean;
  args: string[];
  name: string | undefined;
}

function createRecorded() {
  return {
    /** Not created here: a test that starts the whole app creates it and removes it. */
    userData: join(tmpdir(), `switchboard-fake-userdata-${randomUUID()}`),
    loginItem: { openAtLogin: false, args: [], name: undefined } as LoginItem,
    loginItemWrites: [] as Record<string, unknown>[],
    ipcHandlers: new Map<string, Handler>(),
    notifications: [] as FakeNotification[],
    trays: [] as FakeTray[],
    windows: [] as FakeBrowserWindow[],
    errorBoxes: [] as { title: string; content: string }[],
    exposedInMainWorld: new Map<string, unknown>(),
    /** The event object a renderer's ipcRenderer.invoke arrives with in the main process. */
    rendererInvokeEvent: {} as unknown,
    singleInstanceLock: true,
    appHandlers: new Map<string, ((...args: unknown[]) => void)[]>(),
    appCalls: [] as string[],
    messageBoxes: [] as Record<string, unknown>[],
    /** The button index the next message boxes answer with (0: the first, e.g. "Drain"). */
    messageBoxResponse: 0,
    openedExternally: [] as string[],
    /** What a page answers to webContents.executeJavaScript: nothing renders here, so tests decide. */
    evaluate: ((_code: string) => undefined) as (code: string) => unknown,
    clipboardText: '',
    webRequestHooks: new Map<string, (...args: unknown[]) => void>(),
  };
}

/**
 * Kept on globalThis: a test that re-imports the app (vi.resetModules) gets a fresh copy of this
 * module too, and both copies must record into the same place.
 */
const RECORDED_KEY = Symbol.for('switchboard.fake-electron.recorded');
const globalRecord = globalThis as unknown as Record<symbol, ReturnType<typeof createRecorded> | undefined>;
export const recorded: ReturnType<typeof createRecorded> = (globalRecord[RECORDED_KEY] ??= createRecorded());

function resetApp(): void {
  recorded.singleInstanceLock = true;
  recorded.appHandlers.clear();
  recorded.appCalls.length = 0;
  recorded.messageBoxes.length = 0;
  recorded.messageBoxResponse = 0;
  recorded.openedExternally.length = 0;
  recorded.evaluate = () => undefined;
  recorded.clipboardText = '';
  recorded.webRequestHooks.clear();
}

/** Runs the app's handlers for `event` as Electron would emit it. */
export function emitAppEvent(event: string, ...args: unknown[]): void {
  for (const handler of recorded.appHandlers.get(event) ?? []) handler(...args);
}

export function resetFakeElectron(): void {
  recorded.loginItem = { openAtLogin: false, args: [], name: undefined };
  recorded.loginItemWrites.length = 0;
  recorded.ipcHandlers.clear();
  recorded.notifications.length = 0;
  recorded.trays.length = 0;
  recorded.windows.length = 0;
  recorded.errorBoxes.length = 0;
  recorded.exposedInMainWorld.clear();
  recorded.rendererInvokeEvent = {};
  ipcRenderer.removeAllListeners();
  resetApp();
}

export const app = {
  getPath: (name: string) => (name === 'logs' ? join(recorded.userData, 'logs') : recorded.userData),
  getVersion: () => '0.1.0',
  getAppPath: () => process.cwd(),
  getLoginItemSettings: (options?: { args?: string[] }) => {
    const matches =
      recorded.loginItem.openAtLogin && JSON.stringify(options?.args ?? []) === JSON.stringify(recorded.loginItem.args);
    return { openAtLogin: matches, executableWillLaunchAtLogin: recorded.loginItem.openAtLogin };
  },
  setLoginItemSettings: (settings: { openAtLogin?: boolean; args?: string[]; name?: string }) => {
    recorded.loginItemWrites.push({ ...settings });
    recorded.loginItem = { openAtLogin: settings.openAtLogin ?? false, args: settings.args ?? [], name: settings.name };
  },
  on: (event: string, handler: (...args: unknown[]) => void) => {
    recorded.appHandlers.set(event, [...(recorded.appHandlers.get(event) ?? []), handler]);
    return app;
  },
  requestSingleInstanceLock: () => recorded.singleInstanceLock,
  setAppUserModelId: (id: string) => recorded.appCalls.push(`setAppUserModelId ${id}`),
  whenReady: () => Promise.resolve(),
  quit: () => recorded.appCalls.push('quit'),
  exit: (code = 0) => recorded.appCalls.push(`exit ${code}`),
};

export const session = {
  defaultSession: {
    webRequest: {
      onHeadersReceived: (listener: (...args: unknown[]) => void) => recorded.webRequestHooks.set('headers', listener),
      onBeforeRequest: (listener: (...args: unknown[]) => void) => recorded.webRequestHooks.set('request', listener),
    },
    setPermissionRequestHandler: () => {},
    setPermissionCheckHandler: () => {},
  },
};

export const ipcMain = {
  handle: (channel: string, handler: Handler) => {
    if (recorded.ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    recorded.ipcHandlers.set(channel, handler);
  },
  removeHandler: (channel: string) => recorded.ipcHandlers.delete(channel),
  on: () => ipcMain,
};

export class FakeNotification extends EventEmitter {
  static isSupported(): boolean {
    return true;
  }
  readonly title: string;
  readonly body: string;
  shown = false;
  constructor(options: { title: string; body: string }) {
    super();
    this.title = options.title;
    this.body = options.body;
    recorded.notifications.push(this);
  }
  show(): void {
    this.shown = true;
  }
}

export interface FakeMenu {
  template: unknown[];
}

export const Menu = {
  buildFromTemplate: (template: unknown[]): FakeMenu => ({ template }),
};

export class FakeImage {
  readonly representations: { scaleFactor: number; width?: number; buffer?: Buffer }[] = [];
  addRepresentation(representation: { scaleFactor: number; width?: number; buffer?: Buffer }): void {
    this.representations.push(representation);
  }
}

export const nativeImage = { createEmpty: () => new FakeImage() };

export class FakeTray extends EventEmitter {
  image: unknown;
  tooltip = '';
  menu: FakeMenu | null = null;
  destroyed = false;
  constructor(image: unknown) {
    super();
    this.image = image;
    recorded.trays.push(this);
  }
  setImage(image: unknown): void {
    this.image = image;
  }
  setToolTip(tooltip: string): void {
    this.tooltip = tooltip;
  }
  setContextMenu(menu: FakeMenu): void {
    this.menu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

export class FakeWebContents extends EventEmitter {
  readonly sent: { channel: string; payload: unknown }[] = [];
  destroyed = false;
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  executeJavaScript(code: string): Promise<unknown> {
    return Promise.resolve(recorded.evaluate(code));
  }
  windowOpenHandler: (() => { action: string }) | null = null;
  setWindowOpenHandler(handler: () => { action: string }): void {
    this.windowOpenHandler = handler;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  readonly options: Record<string, unknown>;
  readonly webContents = new FakeWebContents();
  readonly loads: { file: string; hash: string | undefined }[] = [];
  visible = false;
  minimized = false;
  maximized = false;
  destroyed = false;
  bounds = { x: 10, y: 20, width: 1100, height: 760 };
  constructor(options: Record<string, unknown>) {
    super();
    this.options = options;
    if (typeof options.width === 'number' && typeof options.height === 'number') {
      this.bounds = { x: Number(options.x ?? 10), y: Number(options.y ?? 20), width: options.width, height: options.height };
    }
    recorded.windows.push(this);
  }
  loadFile(file: string, options?: { hash?: string }): Promise<void> {
    this.loads.push({ file, hash: options?.hash });
    return Promise.resolve();
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {}
  restore(): void {
    this.minimized = false;
  }
  maximize(): void {
    this.maximized = true;
  }
  setMenu(): void {}
  isVisible(): boolean {
    return this.visible;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getBounds(): { x: number; y: number; width: number; height: number } {
    return { ...this.bounds };
  }
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return { ...this.bounds };
  }
  /** What the user's click on the close button does: a cancellable 'close', then 'closed' unless cancelled. */
  userCloses(): boolean {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (!prevented) {
      this.destroyed = true;
      this.emit('closed');
    }
    return prevented;
  }
}

/** The page side of IPC, wired straight to the handlers registered with the fake ipcMain. */
class FakeIpcRenderer extends EventEmitter {
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = recorded.ipcHandlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(recorded.rendererInvokeEvent, ...args);
  }
}

export const ipcRenderer = new FakeIpcRenderer();

export const contextBridge = {
  exposeInMainWorld: (key: string, api: unknown) => recorded.exposedInMainWorld.set(key, api),
};

export const screen = {
  getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }],
};

export const dialog = {
  showErrorBox: (title: string, content: string) => recorded.errorBoxes.push({ title, content }),
  showMessageBox: (options: Record<string, unknown>) => {
    recorded.messageBoxes.push(options);
    return Promise.resolve({ response: recorded.messageBoxResponse });
  },
};

export const shell = {
  openExternal: (url: string) => {
    recorded.openedExternally.push(url);
    return Promise.resolve();
  },
};

export const clipboard = {
  writeText: (text: string) => {
    recorded.clipboardText = text;
  },
};

export { FakeNotification as Notification, FakeTray as Tray, FakeBrowserWindow as BrowserWindow };

export default {
  app,
  ipcMain,
  shell,
  clipboard,
  Notification: FakeNotification,
  Menu,
  nativeImage,
  Tray: FakeTray,
  BrowserWindow: FakeBrowserWindow,
  screen,
  dialog,
  ipcRenderer,
  contextBridge,
  session,
};
