/**
 * A tiny stand-in for a company web app: each page says which version served it and counts the
 * visitor's visits in the app's own memory. A visitor who lands on another version (a lost
 * session) is a stranger there and starts again at 1, which is what a soft rollout must avoid.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SampleApp {
  readonly name: string;
  readonly url: string;
  close(): Promise<void>;
}

const VISITOR_COOKIE = 'demo_visitor';

export async function startSampleApp(options: { name: string; colour: string; host?: string; port?: number }): Promise<SampleApp> {
  const visits = new Map<string, number>();

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health') {
      reply(res, 200, 'text/plain; charset=utf-8', 'ok\n');
      return;
    }
    if (path !== '/') {
      reply(res, 404, 'text/plain; charset=utf-8', 'Not found\n');
      return;
    }
    const known = visitorOf(req);
    const visitor = known && visits.has(known) ? known : randomUUID();
    const count = (visits.get(visitor) ?? 0) + 1;
    visits.set(visitor, count);
    res.setHeader('Set-Cookie', `${VISITOR_COOKIE}=${visitor}; Path=/; HttpOnly; SameSite=Lax`);
    reply(res, 200, 'text/html; charset=utf-8', page(options.name, options.colour, count, visits.size));
  });
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    name: options.name,
    url: `http://${address.address}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function visitorOf(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === VISITOR_COOKIE && value) return value;
  }
  return undefined;
}

function reply(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(body);
}

function page(name: string, colour: string, count: number, visitors: number): string {
  const greeting =
    count === 1
      ? 'This version does not know you yet: this is your first visit here.'
      : `Welcome back: this is your visit number <strong>${count}</strong> on ${name}.`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${name}</title></head>
<body style="font-family: system-ui, sans-serif; margin: 3em; border-top: 12px solid ${colour}; padding-top: 1em">
  <h1>${name}</h1>
  <p>${greeting}</p>
  <p style="color: #666">${name} remembers ${visitors} visitor${visitors === 1 ? '' : 's'} in its memory.
  Reload the page: as long as Switchboard keeps you on ${name}, the counter goes up.</p>
</body>
</html>
`;
}
