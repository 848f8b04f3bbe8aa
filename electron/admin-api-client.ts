/**
 * The control API over the gateway's admin HTTP API, for the main process: REST calls with the
 * bearer token, events read from the Server-Sent Events stream with fetch. The desktop app uses it
 * when it attaches to the Windows service instead of running a gateway of its own, so the tray,
 * notifications and dashboard work exactly as they do in-process.
 */
import type { ChangeSource, ControlApi, ControlMethods, GatewayEvent } from '../proxy/control/control-api.js';
import { ControlError, errorOfHttpAnswer } from '../proxy/control/control-error.js';
import { controlMethodsOver, type OperationName } from '../proxy/control/control-operations.js';
import { answerBodyOf, httpCallOf } from '../proxy/control/operation-http.js';
import { SseParser } from './sse-parser.js';

/** Waits between reconnection attempts of the event stream, the last one repeated. */
export const DEFAULT_RECONNECT_DELAYS_MS = [500, 1000, 2000, 5000];
/** A call the service does not answer within this long fails rather than hang a tray click. */
const REQUEST_TIMEOUT_MS = 15_000;

export interface AdminEndpoint {
  /** e.g. `http://127.0.0.1:9090` */
  baseUrl: string;
  token: string;
}

/** Whether the event stream is connected; `error` says why not. */
export interface ConnectionChange {
  connected: boolean;
  error?: string;
}

export interface AdminApiClientOptions {
  reconnectDelaysMs?: readonly number[];
  /** Told each time the event stream connects or loses its connection. */
  onConnectionChange?(change: ConnectionChange): void;
}

/** The control methods are derived from the operations table; see the constructor. */
export interface AdminApiClient extends ControlMethods {}

export class AdminApiClient implements ControlApi {
  readonly endpoint: AdminEndpoint;
  readonly #options: AdminApiClientOptions;
  /** Sent as `X-Switchboard-Source`, so the service's event log says who made each change. */
  readonly #source: ChangeSource | undefined;

  constructor(endpoint: AdminEndpoint, options: AdminApiClientOptions = {}, source?: ChangeSource) {
    this.endpoint = { baseUrl: endpoint.baseUrl.replace(/\/$/, ''), token: endpoint.token };
    this.#options = options;
    this.#source = source;
    Object.assign(this, controlMethodsOver((name, args) => this.#call(name, args)));
  }

  as(source: ChangeSource): ControlApi {
    return new AdminApiClient(this.endpoint, this.#options, source);
  }

  /**
   * Events from the stream, which is reopened after every failure (a service restart, a reboot)
   * until unsubscribed.
   */
  subscribe(listener: (event: GatewayEvent) => void): () => void {
    const delays = this.#options.reconnectDelaysMs ?? DEFAULT_RECONNECT_DELAYS_MS;
    let stopped = false;
    let abort: AbortController | null = null;
    let timer: NodeJS.Timeout | undefined;
    let failures = 0;
    let connected = false;

    const report = (change: ConnectionChange): void => {
      connected = change.connected;
      this.#options.onConnectionChange?.(change);
    };

    const connect = async (): Promise<void> => {
      abort = new AbortController();
      try {
        await this.#readEvents(abort.signal, listener, () => {
          failures = 0;
          report({ connected: true });
        });
        if (!stopped) throw new Error('the gateway service closed the event stream');
      } catch (error) {
        if (stopped) return;
        // Only a change is reported, but a first failure always is: the caller waits for a verdict.
        const message = describeFailure(error, this.endpoint.baseUrl);
        if (connected || failures === 0) report({ connected: false, error: message });
        const delay = delays[Math.min(failures, delays.length - 1)] ?? 5000;
        failures++;
        timer = setTimeout(() => void connect(), delay);
      }
    };
    void connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      abort?.abort();
    };
  }

  async #readEvents(signal: AbortSignal, listener: (event: GatewayEvent) => void, onOpen: () => void): Promise<void> {
    const response = await fetch(`${this.endpoint.baseUrl}/api/events`, {
      headers: { Authorization: `Bearer ${this.endpoint.token}`, Accept: 'text/event-stream' },
      signal,
    });
    if (response.status === 401) throw refusedToken();
    if (!response.ok || response.body === null) throw new Error(`the gateway service answered ${response.status} for its event stream`);
    onOpen();
    const parser = new SseParser((message) => {
      let event: GatewayEvent;
      try {
        event = JSON.parse(message.data) as GatewayEvent;
      } catch {
        // A malformed event is skipped: the next stats tick carries the whole state again.
        return;
      }
      listener(event);
    });
    const decoder = new TextDecoder();
    for await (const chunk of response.body) parser.push(decoder.decode(chunk as Uint8Array, { stream: true }));
  }

  async #call(name: OperationName, args: unknown[]): Promise<unknown> {
    const { verb: method, path, body } = httpCallOf(name, args);
    const headers: Record<string, string> = { Authorization: `Bearer ${this.endpoint.token}`, Accept: 'application/json' };
    if (this.#source !== undefined) headers['X-Switchboard-Source'] = this.#source;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(this.endpoint.baseUrl + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new ControlError('unavailable', describeFailure(error, this.endpoint.baseUrl));
    }
    const payload = await answerBodyOf(response);
    if (response.ok) return payload;
    throw errorOf(response.status, payload);
  }
}

/** The same errors the in-process control API throws, so the dashboard shows them the same way. */
function errorOf(status: number, payload: unknown): ControlError {
  if (status === 401) return refusedToken();
  return errorOfHttpAnswer(status, payload, `the gateway service answered ${status}`);
}

/** The token in the service's config file is not the one it runs with. */
function refusedToken(): ControlError {
  return new ControlError('unauthorized', 'the gateway service did not accept the admin token');
}

function describeFailure(error: unknown, baseUrl: string): string {
  if (error instanceof ControlError && error.code === 'unauthorized') return error.message;
  const cause = (error as { cause?: { code?: string } }).cause?.code;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `the gateway service at ${baseUrl} did not answer in time`;
  }
  if (cause !== undefined) return `the gateway service at ${baseUrl} cannot be reached (${cause})`;
  return error instanceof Error && error.message.startsWith('the gateway service') ? error.message : `the gateway service at ${baseUrl} cannot be reached`;
}
