/** The tray's actions against a real gateway: each one makes the right change, marked as coming from the tray. */
import type { MenuItemConstructorOptions } from 'electron';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GatewayEvent } from '../../proxy/control/control-api.js';
import { ControlError } from '../../proxy/control/control-error.js';
import { createTrayActions, type TrayActions } from '../../electron/tray/tray-actions.js';
import type { OutageWarning } from '../../electron/tray/tray-outage.js';
import { buildTrayMenuTemplate } from '../../electron/tray/tray-menu.js';
import { eventually, startGateway, type Harness } from '../support/gateway-harness.js';
import { startBackends, stopBackends, type TestBackend } from '../support/test-backend.js';
import { quietDependencies } from './snapshot-fixtures.js';

let backends: TestBackend[];
let harness: Harness;
let failures: { action: string; error: unknown }[];
let opened: unknown[];
let quits: number;
let loginChanges: boolean[];
let actions: TrayActions;
let events: GatewayEvent[];

beforeEach(async () => {
  backends = await startBackends('v1', 'v2');
  harness = await startGateway([
    {
      id: 'web',
      name: 'Intranet',
      servers: [
        { id: 'v1', name: 'App 1.0', url: backends[0]!.url, capacity: 60 },
        { id: 'v2', name: 'App 1.1', url: backends[1]!.url, capacity: 40 },
      ],
    },
  ]);
  events = [];
  harness.control.subscribe((event) => {
    if (event.type === 'config') events.push(event);
  });
  failures = [];
  opened = [];
  quits = 0;
  loginChanges = [];
  actions = createTrayActions(
    quietDependencies({
      control: () => harness.control,
      openDashboard: (target) => void opened.push(target),
      setStartAtLogin: (enabled) => void loginChanges.push(enabled),
      quit: () => void quits++,
      reportFailure: (action, error) => void failures.push({ action, error }),
    }),
  );
});

afterEach(async () => {
  await harness.stop();
  await stopBackends(backends);
});

async function serverConfig(serverId: string) {
  const config = await harness.control.getConfig();
  return config.clusters[0]!.servers.find((server) => server.id === serverId)!;
}

describe('tray actions on a real gateway', () => {
  it('drains and restores a server, with source "tray"', async () => {
    await actions.drainServer('web', 'v1');
    expect(await serverConfig('v1')).toMatchObject({ capacity: 0, drainedFromCapacity: 60 });
    expect(events.at(-1)).toMatchObject({ type: 'config', source: 'tray' });

    await actions.restoreServer('web', 'v1');
    expect((await serverConfig('v1')).capacity).toBe(60);
    expect(events.at(-1)).toMatchObject({ type: 'config', source: 'tray' });
    expect(failures).toEqual([]);
  });

  it('disables and enables a server', async () => {
    await actions.setServerEnabled('web', 'v2', false);
    expect((await serverConfig('v2')).enabled).toBe(false);
    const state = await harness.control.getState();
    expect(state.clusters[0]!.servers[1]!.state).toBe('disabled');
    await actions.setServerEnabled('web', 'v2', true);
    expect((await serverConfig('v2')).enabled).toBe(true);
    expect(events.map((event) => event.type === 'config' && event.source)).toEqual(['tray', 'tray']);
  });

  it('pauses and resumes the gateway', async () => {
    await actions.setPaused(true);
    expect((await harness.control.getState()).paused).toBe(true);
    await actions.setPaused(false);
    expect((await harness.control.getState()).paused).toBe(false);
  });

  it('reports a failed action instead of throwing', async () => {
    await actions.drainServer('web', 'no-such-server');
    expect(failures).toHaveLength(1);
    expect(failures[0]!.action).toBe('Drain');
    expect(failures[0]!.error).toBeInstanceOf(ControlError);
    expect((failures[0]!.error as ControlError).code).toBe('not-found');
  });

  it('reports that the gateway is not running when there is no control API', async () => {
    const offline = createTrayActions(quietDependencies({ reportFailure: (action, error) => void failures.push({ action, error }) }));
    await offline.setPaused(true);
    expect(failures).toHaveLength(1);
    expect(String(failures[0]!.error)).toContain('the gateway is not running');
  });

  it('passes the shell-only actions through', () => {
    actions.openDashboard({ clusterId: 'web', serverId: 'v1' });
    actions.setStartAtLogin(true);
    actions.quit();
    expect(opened).toEqual([{ clusterId: 'web', serverId: 'v1' }]);
    expect(loginChanges).toEqual([true]);
    expect(quits).toBe(1);
  });

  it('drains a server from a menu built from the live snapshot', async () => {
    const template = buildTrayMenuTemplate(await harness.control.getState(), {
      status: { kind: 'running' },
      startAtLogin: false,
      actions,
    });
    const clusterItem = template.find((item) => item.id === 'cluster:web')!;
    const serverItem = (clusterItem.submenu as MenuItemConstructorOptions[]).find((item) => item.id === 'server:web/v2')!;
    expect(serverItem.label).toBe('App 1.1: active, 0 sessions');
    const drain = (serverItem.submenu as MenuItemConstructorOptions[]).find((item) => item.id === 'server:web/v2:drain')!;
    (drain.click as () => void)();
    await eventually(async () => expect((await serverConfig('v2')).capacity).toBe(0));
    await eventually(async () => {
      const state = await harness.control.getState();
      expect(state.clusters[0]!.servers[1]!.state).toBe('drained');
    });
  });
});

describe('tray actions that could cause an outage ask first', () => {
  let questions: OutageWarning[];
  let answer: boolean;
  let asking: TrayActions;
  let serviceCalls: string[];

  beforeEach(() => {
    questions = [];
    answer = false;
    serviceCalls = [];
    asking = createTrayActions(
      quietDependencies({
        control: () => harness.control,
        confirm: async (warning) => {
          questions.push(warning);
          return answer;
        },
        controlService: async (action) => void serviceCalls.push(action),
        reportFailure: (action, error) => void failures.push({ action, error }),
      }),
    );
  });

  it('drains without asking while another server still takes new users', async () => {
    await asking.drainServer('web', 'v2');
    expect(questions).toEqual([]);
    expect((await serverConfig('v2')).capacity).toBe(0);
  });

  it('asks before draining the last active server, saying what users will see; Cancel changes nothing', async () => {
    await asking.drainServer('web', 'v2');
    await asking.drainServer('web', 'v1');
    expect(questions).toHaveLength(1);
    expect(questions[0]).toMatchObject({ title: 'Drain server', message: 'Drain App 1.0? Intranet will take no new users.', confirmLabel: 'Drain' });
    expect(questions[0]!.detail).toContain('New users will get an error page (503 Service Unavailable)');
    expect((await serverConfig('v1')).capacity).toBe(60);

    answer = true;
    await asking.drainServer('web', 'v1');
    expect((await serverConfig('v1')).capacity).toBe(0);
  });

  it('asks before disabling the last active server, and not before enabling it again', async () => {
    await asking.setServerEnabled('web', 'v2', false);
    expect(questions).toEqual([]);
    await asking.setServerEnabled('web', 'v1', false);
    expect(questions.map((question) => question.message)).toEqual(['Disable App 1.0? Intranet will have no server.']);
    expect((await serverConfig('v1')).enabled).toBe(true);
    await asking.setServerEnabled('web', 'v2', true);
    expect(questions).toHaveLength(1);
  });

  it('asks before pausing, not before resuming', async () => {
    await asking.setPaused(true);
    expect(questions.map((question) => question.title)).toEqual(['Pause gateway']);
    expect(questions[0]!.detail).toContain('every user, new or signed in, gets a connection error until you resume');
    expect((await harness.control.getState()).paused).toBe(false);
    answer = true;
    await asking.setPaused(true);
    expect((await harness.control.getState()).paused).toBe(true);
    await asking.setPaused(false);
    expect(questions).toHaveLength(2);
    expect((await harness.control.getState()).paused).toBe(false);
  });

  it('asks before stopping the service, never before starting it', async () => {
    await asking.stopService();
    expect(serviceCalls).toEqual([]);
    answer = true;
    await asking.stopService();
    await asking.startService();
    expect(questions.map((question) => question.title)).toEqual(['Stop service', 'Stop service']);
    expect(serviceCalls).toEqual(['stop', 'start']);
  });

  it('opens and copies the web console link with its token, or says the gateway is not running', () => {
    const opened: string[] = [];
    let copied = '';
    let url: string | null = 'http://127.0.0.1:9090/#token=abc';
    const console = createTrayActions(
      quietDependencies({
        consoleUrl: () => url,
        openInBrowser: (link) => void opened.push(link),
        copyText: (text) => void (copied = text),
        reportFailure: (action, error) => void failures.push({ action, error }),
      }),
    );
    console.openConsoleInBrowser();
    console.copyConsoleLink();
    expect(opened).toEqual(['http://127.0.0.1:9090/#token=abc']);
    expect(copied).toBe('http://127.0.0.1:9090/#token=abc');
    url = null;
    console.copyConsoleLink();
    expect(failures.map((failure) => [failure.action, String(failure.error)])).toEqual([['Copy web console link', 'Error: the gateway is not running']]);
  });
});

