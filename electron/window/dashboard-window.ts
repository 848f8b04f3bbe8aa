/**
 * The dashboard window: created on first use, hidden (not closed) when the user closes it so the
 * tray keeps running, and remembered in size and position. The page is the built dashboard from
 * `dist/renderer`, loaded from disk with every web-security switch on.
 */
import { BrowserWindow, screen, type NativeImage, type WebContents } from 'electron';
import type { DashboardTarget } from '../tray/tray-actions.js';
import { isVisibleOnSomeDisplay, type WindowBoundsStore } from './window-bounds-store.js';

export interface DashboardWindowOptions {
  indexHtmlPath: string;
  preloadPath: string;
  icon?: NativeImage;
  boundsStore: WindowBoundsStore;
  /** False keeps the window hidden even once loaded (the smoke test reads it unseen); true by default. */
  showWhenReady?: boolean;
}

/** The dashboard reads `#server=<cluster>/<server>` to open at that server. */
export function dashboardHash(target?: DashboardTarget): string {
  return target ? `server=${encodeURIComponent(target.clusterId)}/${encodeURIComponent(target.serverId)}` : '';
}

export class DashboardWindow {
  readonly #options: DashboardWindowOptions;
  #window: BrowserWindow | null = null;
  #quitting = false;

  constructor(options: DashboardWindowOptions) {
    this.#options = options;
  }

  show(target?: DashboardTarget): void {
    const existing = this.#window;
    if (existing === null || existing.isDestroyed()) {
      this.#window = this.#create(target);
      return;
    }
    if (target) void existing.loadFile(this.#options.indexHtmlPath, { hash: dashboardHash(target) });
    if (this.#options.showWhenReady === false) return;
    if (existing.isMinimized()) existing.restore();
    existing.show();
    existing.focus();
  }

  isShown(): boolean {
    const window = this.#window;
    return window !== null && !window.isDestroyed() && window.isVisible() && !window.isMinimized();
  }

  webContents(): WebContents | null {
    const window = this.#window;
    return window === null || window.isDestroyed() ? null : window.webContents;
  }

  /** From now on closing really closes: the app is quitting. */
  allowClose(): void {
    this.#quitting = true;
  }

  #create(target: DashboardTarget | undefined): BrowserWindow {
    const saved = this.#options.boundsStore.load();
    const workAreas = screen.getAllDisplays().map((display) => display.workArea);
    const bounds = saved.bounds && isVisibleOnSomeDisplay(saved.bounds, workAreas) ? saved.bounds : { width: 1100, height: 760 };
    const window = new BrowserWindow({
      ...bounds,
      minWidth: 640,
      minHeight: 420,
      show: false,
      title: 'Switchboard',
      autoHideMenuBar: true,
      ...(this.#options.icon ? { icon: this.#options.icon } : {}),
      webPreferences: {
        // Reviewed: the preload exposes only window.switchboard through contextBridge (electron/preload.ts).
        preload: this.#options.preloadPath, // eng-disable PRELOAD_JS_CHECK
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        spellcheck: false,
        // Middle-click would otherwise try to open links in a new window.
        disableBlinkFeatures: 'Auxclick',
      },
    });
    window.setMenu(null);
    if (saved.maximized) window.maximize();
    if (this.#options.showWhenReady !== false) window.once('ready-to-show', () => window.show());
    window.on('close', (event) => {
      this.#saveBounds(window);
      if (this.#quitting) return;
      event.preventDefault();
      window.hide();
    });
    window.on('closed', () => {
      if (this.#window === window) this.#window = null;
    });
    void window.loadFile(this.#options.indexHtmlPath, { hash: dashboardHash(target) });
    return window;
  }

  #saveBounds(window: BrowserWindow): void {
    const maximized = window.isMaximized();
    this.#options.boundsStore.save({ bounds: maximized ? window.getNormalBounds() : window.getBounds(), maximized });
  }
}
