/** A tiny cookie-keeping HTTP client, one per simulated user. */
import http from 'node:http';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Open a new connection instead of reusing a kept-alive one. */
  freshConnection?: boolean;
}

export function request(url: string, options: RequestOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers, agent: options.freshConnection ? false : agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

export class User {
  readonly cookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    private readonly freshConnections = false,
  ) {}

  async get(path = '/', headers: Record<string, string> = {}): Promise<Reply & { backend: string }> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const reply = await request(this.baseUrl + path, { headers: { ...headers, ...(cookie ? { cookie } : {}) }, freshConnection: this.freshConnections });
    for (const line of reply.headers['set-cookie'] ?? []) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    let backend = '';
    try {
      backend = (JSON.parse(reply.body) as { backend?: string }).backend ?? '';
    } catch {
      backend = '';
    }
    return { ...reply, backend };
  }
}
