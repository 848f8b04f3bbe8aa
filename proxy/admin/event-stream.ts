/** Server-Sent Events: the control API's event feed, one HTTP response per subscriber. */
import type { ServerResponse } from 'node:http';
import type { ControlApi, GatewayEvent } from '../control/control-api.js';

const HEARTBEAT_MS = 15_000;
/** A subscriber that stops reading is cut off rather than buffered without end. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export interface EventStream {
  /** Ends the stream, e.g. when the admin server shuts down. */
  close(): void;
}

export function openEventStream(
  res: ServerResponse,
  control: ControlApi,
  options: { heartbeatMs?: number; onClose?: () => void } = {},
): EventStream {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Content-Type-Options': 'nosniff',
    // Tells a reverse proxy in front of the admin port not to hold events back.
    'X-Accel-Buffering': 'no',
  });
  res.write(': connected\n\n');

  let closed = false;
  const send = (text: string): void => {
    if (closed) return;
    res.write(text);
    if (res.writableLength > MAX_BUFFERED_BYTES) close();
  };

  const unsubscribe = control.subscribe((event: GatewayEvent) => {
    send(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  });
  const heartbeat = setInterval(() => send(': heartbeat\n\n'), options.heartbeatMs ?? HEARTBEAT_MS);
  heartbeat.unref();

  function close(): void {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
    res.end();
    options.onClose?.();
  }

  // The response's close, not the request's: a request closes as soon as its (empty) body is read.
  res.on('close', close);
  res.on('error', close);
  return { close };
}
