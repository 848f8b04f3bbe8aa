import { describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY, hardenSession, hardenWebContents, isAllowedUrl, isDashboardPage } from '../../electron/content-security.js';
import { FakeWebContents } from './fake-electron.js';

vi.mock('electron', () => import('./fake-electron.js'));

const DASHBOARD = 'file:///C:/Program%20Files/Switchboard/resources/app.asar/dist/renderer/';

describe('content security', () => {
  it('allows only the bundled dashboard files', () => {
    expect(isAllowedUrl(`${DASHBOARD}index.html#server=web/v1`, DASHBOARD)).toBe(true);
    expect(isAllowedUrl(`${DASHBOARD}assets/index-abc.js`, DASHBOARD)).toBe(true);
    expect(isAllowedUrl('file:///C:/Windows/win.ini', DASHBOARD)).toBe(false);
    expect(isAllowedUrl('https://example.com/', DASHBOARD)).toBe(false);
    expect(isAllowedUrl('http://127.0.0.1:9090/api/state', DASHBOARD)).toBe(false);
    expect(isAllowedUrl('ws://127.0.0.1:9090/', DASHBOARD)).toBe(false);
    expect(isAllowedUrl('devtools://devtools/bundled/devtools_app.html', DASHBOARD)).toBe(false);
    expect(isAllowedUrl(`${DASHBOARD}../../../../evil.html`, DASHBOARD)).toBe(false);
    expect(isAllowedUrl('file://attacker-host/C:/Program%20Files/Switchboard/resources/app.asar/dist/renderer/index.html', DASHBOARD)).toBe(false);
  });

  it('lets only the dashboard page itself call the gateway over IPC', () => {
    const index = `${DASHBOARD}index.html`;
    expect(isDashboardPage(index, index)).toBe(true);
    expect(isDashboardPage(`${index}#server=web/v1`, index)).toBe(true);
    for (const url of [
      'data:text/html,<script>switchboard.setPaused(true)</script>',
      'data:text/html;base64,PHNjcmlwdD4=',
      'devtools://devtools/bundled/devtools_app.html',
      'devtools://devtools/bundled/inspector.html?ws=127.0.0.1',
      `${DASHBOARD}assets/index-abc.js`,
      `${DASHBOARD}other.html`,
      `${index}?x=1`,
      `${DASHBOARD}sub/../../renderer-evil/index.html`,
      'file:///C:/Users/Public/index.html',
      'file://attacker-host/C:/Program%20Files/Switchboard/resources/app.asar/dist/renderer/index.html',
      `blob:${index}`,
      'https://evil.example/index.html',
      'about:blank',
      '',
      'file://[bad',
    ]) {
      expect(isDashboardPage(url, index), url).toBe(false);
    }
  });

  it('denies navigation, redirects, webviews and new windows', () => {
    const contents = new FakeWebContents();
    hardenWebContents(contents as never);
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      let prevented = false;
      contents.emit(event, { preventDefault: () => (prevented = true) });
      expect(prevented, event).toBe(true);
    }
    expect(contents.windowOpenHandler?.()).toEqual({ action: 'deny' });
  });

  it('puts a strict CSP on responses, cancels remote requests and grants no permissions', () => {
    type Callback = (response: Record<string, unknown>) => void;
    const hooks: Record<string, (details: Record<string, unknown>, callback: Callback) => void> = {};
    let permissionHandler: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
    let permissionCheck: (() => boolean) | undefined;
    const session = {
      webRequest: {
        onHeadersReceived: (listener: (typeof hooks)[string]) => (hooks.headers = listener),
        onBeforeRequest: (listener: (typeof hooks)[string]) => (hooks.request = listener),
      },
      setPermissionRequestHandler: (handler: typeof permissionHandler) => (permissionHandler = handler),
      setPermissionCheckHandler: (handler: typeof permissionCheck) => (permissionCheck = handler),
    };
    hardenSession(session as never, DASHBOARD);

    let headers: Record<string, unknown> = {};
    hooks.headers!({ responseHeaders: { 'Content-Type': ['text/html'] } }, (response) => (headers = response));
    expect(headers).toEqual({ responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("connect-src 'none'");

    const decide = (url: string) => {
      let decision: Record<string, unknown> = {};
      hooks.request!({ url }, (response) => (decision = response));
      return decision;
    };
    expect(decide(`${DASHBOARD}index.html`)).toEqual({ cancel: false });
    expect(decide('https://cdn.example.com/font.woff2')).toEqual({ cancel: true });

    let granted: boolean | undefined;
    permissionHandler!({}, 'notifications', (answer) => (granted = answer));
    expect(granted).toBe(false);
    expect(permissionCheck!()).toBe(false);
  });
});
