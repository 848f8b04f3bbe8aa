/** Small HTTP helpers for the admin API tests: JSON calls, raw paths, and an SSE reader. */
import { request, type IncomingHttpHeaders } from 'node:http';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A request whose path is sent exactly as given (no URL normalisation), for traversal tests. */
export function rawRequest(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string | number>; body?: string | Buffer },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export interface ServerSentEvent {
  event: string;
  data: string;
}

export interface EventReader {
  readonly events: ServerSentEvent[];
  /** Comment lines such as `: heartbeat`. */
  readonly comments: string[];
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  waitFor(predicate: (event: ServerSentEvent) => boolean, timeoutMs?: number): Promise<ServerSentEvent>;
  waitForComment(text: string, timeoutMs?: number): Promise<void>;
  close(): void;
}

export function openEvents(port: number, path: string, headers: Record<string, string> = {}): Promise<EventReader> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      const events: ServerSentEvent[] = [];
      const comments: string[] = [];
      const waiters = new Set<() => void>();
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length > 0) events.push({ event, data: data.join('\n') });
        }
        for (const wake of [...waiters]) wake();
      });
      res.on('error', () => undefined);

      const waitUntil = <T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> =>
        new Promise((resolveWait, rejectWait) => {
          const attempt = (): void => {
            const found = check();
            if (found === undefined) return;
            waiters.delete(attempt);
            clearTimeout(timer);
            resolveWait(found);
          };
          const timer = setTimeout(() => {
            waiters.delete(attempt);
            rejectWait(new Error(`timed out waiting for ${what}; got events: ${events.map((e) => e.event).join(', ')}`));
          }, timeoutMs);
          waiters.add(attempt);
          attempt();
        });

      resolve({
        events,
        comments,
        status: res.statusCode ?? 0,
        headers: res.headers,
        waitFor: (predicate, timeoutMs = 10_000) => waitUntil(() => events.find(predicate), timeoutMs, 'an event'),
        waitForComment: async (text, timeoutMs = 10_000) => {
          await waitUntil(() => (comments.includes(text) ? true : undefined), timeoutMs, `the comment "${text}"`);
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}
