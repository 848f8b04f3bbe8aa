/**
 * The control API over the admin HTTP API: REST calls with the bearer token, events over
 * Server-Sent Events. Used by the web console in a browser; every change is made as the dashboard.
 */
import type { ControlMethods, GatewayEvent } from '../../proxy/control/control-api.js';
import { ControlError, errorOfHttpAnswer } from '../../proxy/control/control-error.js';
import { controlMethodsOver, type OperationName } from '../../proxy/control/control-operations.js';
import { answerBodyOf, httpCallOf } from '../../proxy/control/operation-http.js';
import type { ControlClient, EventStreamHandlers } from './control-client.js';
import { EVENT_TYPES } from './event-types.js';

const RECONNECT_DELAYS_MS = [500, 1000, 2000, 3000, 5000];

/** The control methods are derived from the operations table; see the constructor. */
export interface HttpControlClient extends ControlMethods {}

export class HttpControlClient implements ControlClient {
  private readonly baseUrl: string;
  private readonly token: string;

  constructor(baseUrl: string, token: string) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
    this.token = token;
    Object.assign(this, controlMethodsOver((name, args) => this.call(name, args)));
  }

  subscribe(handlers: EventStreamHandlers): () => void {
    return openEventStream(this.baseUrl, this.token, handlers, () => this.getState());
  }

  private async call(name: OperationName, args: unknown[]): Promise<unknown> {
    const { verb: method, path, body } = httpCallOf(name, args);
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.token}`,
      'X-Switchboard-Source': 'dashboard',
      Accept: 'application/json',
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(this.baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch {
      throw new ControlError('unavailable', 'The gateway cannot be reached. Is Switchboard running?');
    }
    const payload = await answerBodyOf(response);
    if (response.ok) return payload;
    throw errorOf(response.status, payload);
  }
}

function errorOf(status: number, payload: unknown): ControlError {
  if (status === 401 || status === 403) return new ControlError('unauthorized', 'The access token was not accepted.');
  return errorOfHttpAnswer(status, payload, `The gateway answered ${status}.`);
}

/**
 * EventSource retries on its own after a dropped connection, but gives up for good when the
 * gateway is down at the moment it reconnects or answers 401. So on every error this closes it,
 * asks the API whether the token still works, and opens a new one after a growing delay.
 */
function openEventStream(
  baseUrl: string,
  token: string,
  handlers: EventStreamHandlers,
  probe: () => Promise<unknown>,
): () => void {
  let source: EventSource | null = null;
  let retryTimer: number | undefined;
  let attempt = 0;
  let stopped = false;

  const dispatch = (message: MessageEvent<string>) => {
    try {
      handlers.onEvent(JSON.parse(message.data) as GatewayEvent);
    } catch {
      // A malformed event is skipped: the next stats tick carries the whole state again.
    }
  };

  const connect = () => {
    if (stopped) return;
    handlers.onStatus(attempt === 0 ? 'connecting' : 'offline');
    source = new EventSource(`${baseUrl}/api/events?token=${encodeURIComponent(token)}`);
    source.onopen = () => {
      attempt = 0;
      handlers.onStatus('online');
    };
    for (const type of EVENT_TYPES) source.addEventListener(type, dispatch);
    source.onmessage = dispatch;
    source.onerror = () => {
      source?.close();
      source = null;
      if (stopped) return;
      handlers.onStatus('offline');
      void probe().then(
        () => scheduleReconnect(),
        (error: unknown) => {
          if (error instanceof ControlError && error.code === 'unauthorized') handlers.onStatus('unauthorized');
          else scheduleReconnect();
        },
      );
    };
  };

  const scheduleReconnect = () => {
    if (stopped) return;
    const delay = RECONNECT_DELAYS_MS[Math.min(attempt, RECONNECT_DELAYS_MS.length - 1)] ?? 5000;
    attempt += 1;
    retryTimer = window.setTimeout(connect, delay);
  };

  connect();
  return () => {
    stopped = true;
    window.clearTimeout(retryTimer);
    source?.close();
    source = null;
  };
}
