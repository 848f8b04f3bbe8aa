/**
 * Response compression through http-proxy-3 with `selfHandleResponse` and `sendProxyResponse`,
 * against a real backend on loopback: when it compresses, and every case where it must not.
 */
import http from 'node:http';
import type net from 'node:net';
import zlib from 'node:zlib';
import { createProxyServer } from 'http-proxy-3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseEncoding, sendProxyResponse } from '../../proxy/forwarding/compression.js';
import type { CompressionConfig } from '../../proxy/config/config-schema.js';
import { DEFAULT_COMPRESSIBLE_TYPES } from '../../proxy/config/config-schema.js';
import { closeServer, listenOnLoopback } from '../support/loopback-server.js';

const PAGE = '<html><body>' + 'Switchboard soft rollout. '.repeat(400) + '</body></html>';
/** Larger than what is compressed whole: streamed through zlib. */
const BIG_PAGE = '<html><body>' + 'Switchboard soft rollout, streamed. '.repeat(4000) + '</body></html>';
const enabled: CompressionConfig = { enabled: true, minBytes: 1024, types: [...DEFAULT_COMPRESSIBLE_TYPES] };

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
const routes: Record<string, Handler> = {
  '/page': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(PAGE), etag: '"v1"', 'accept-ranges': 'bytes' });
    res.end(PAGE);
  },
  '/chunked-json': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    for (let i = 0; i < 50; i++) res.write(JSON.stringify({ i, text: 'x'.repeat(100) }) + '\n');
    res.end();
  },
  '/small': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '5' });
    res.end('small');
  },
  '/png': (_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': Buffer.byteLength(PAGE) });
    res.end(PAGE);
  },
  '/events': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write('data: first\n\n' + ': padding '.repeat(200) + '\n\n');
    // The stream stays open until the client has seen the first event.
    endEventStream = () => res.end('data: last\n\n');
  },
  '/range': (req, res) => {
    if (req.headers.range) {
      res.writeHead(206, { 'content-type': 'text/html', 'content-range': `bytes 0-1999/${PAGE.length}`, 'content-length': '2000' });
      res.end(PAGE.slice(0, 2000));
    } else routes['/page']!(req, res);
  },
  '/already-gzip': (_req, res) => {
    const gz = zlib.gzipSync(PAGE);
    res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip', 'content-length': gz.length });
    res.end(gz);
  },
  '/no-transform': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'public, no-transform', 'content-length': Buffer.byteLength(PAGE) });
    res.end(PAGE);
  },
  '/no-content': (_req, res) => {
    res.writeHead(204, { 'content-type': 'text/html' });
    res.end();
  },
  '/not-modified': (_req, res) => {
    res.writeHead(304, { 'content-type': 'text/html', etag: '"v1"' });
    res.end();
  },
  '/cookie': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', 'set-cookie': ['app=1; Path=/', 'theme=dark; Path=/'], connection: 'keep-alive, x-secret', 'x-secret': 'hop', 'content-length': Buffer.byteLength(PAGE) });
    res.end(PAGE);
  },
  '/endless': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    const timer = setInterval(() => res.write('tick '.repeat(500)), 10);
    res.once('close', () => {
      clearInterval(timer);
      endlessClosed();
    });
  },
  '/big-page': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(BIG_PAGE) });
    res.end(BIG_PAGE);
  },
  '/dies': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(BIG_PAGE.length * 4) });
    res.write(BIG_PAGE);
    setTimeout(() => res.socket?.destroy(), 50);
  },
  '/dies-small': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(PAGE.length * 2) });
    res.write(PAGE);
    setTimeout(() => res.socket?.destroy(), 50);
  },
};

let backend: http.Server;
let gateway: http.Server;
let port: number;
let endEventStream: () => void = () => undefined;
let endlessClosed: () => void = () => undefined;
let configFor: (path: string) => CompressionConfig | undefined = () => enabled;
const responseErrors: Error[] = [];
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  backend = http.createServer((req, res) => (routes[(req.url ?? '').split('?')[0]!] ?? routes['/page']!)(req, res));
  backend.on('connection', (socket: net.Socket) => sockets.add(socket));
  await listenOnLoopback(backend);
  const target = `http://127.0.0.1:${(backend.address() as net.AddressInfo).port}`;

  const proxy = createProxyServer({ agent: new http.Agent({ keepAlive: true }), selfHandleResponse: true });
  proxy.on('proxyRes', (proxyRes, req, res) =>
    sendProxyResponse(req, proxyRes, res as http.ServerResponse, configFor(req.url ?? ''), (error) => responseErrors.push(error)),
  );
  gateway = http.createServer((req, res) => {
    // As the gateway does with its session cookie: set before the backend answers.
    if (req.url === '/cookie') res.setHeader('set-cookie', 'SWB=abc; HttpOnly; Path=/');
    proxy.web(req, res, { target }, () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
  });
  gateway.on('connection', (socket: net.Socket) => sockets.add(socket));
  await listenOnLoopback(gateway);
  port = (gateway.address() as net.AddressInfo).port;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await closeServer(gateway);
  await closeServer(backend);
});

interface RawReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  aborted: boolean;
}

/**
 * Keep-alive like a browser. (A client sending `Connection: close` has it relayed to the backend by
 * http-proxy-3, which is the gateway's business, not this test's.)
 */
const clientAgent = new http.Agent({ keepAlive: true });
afterAll(() => clientAgent.destroy());

function fetchRaw(path: string, headers: Record<string, string> = {}, method = 'GET', onFirstData?: (chunk: Buffer) => void): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, headers, agent: clientAgent }, (res) => {
      const chunks: Buffer[] = [];
      let aborted = false;
      res.on('data', (chunk: Buffer) => {
        if (chunks.length === 0) onFirstData?.(chunk);
        chunks.push(chunk);
      });
      res.on('aborted', () => (aborted = true));
      res.on('error', () => (aborted = true));
      res.on('close', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), aborted: aborted || !res.complete }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('compression through the forwarder', () => {
  it('compresses a compressible page with brotli when the client accepts it', async () => {
    const reply = await fetchRaw('/page', { 'accept-encoding': 'gzip, deflate, br' });
    expect(reply.headers['content-encoding']).toBe('br');
    // A small page is compressed whole, so its compressed length is known.
    expect(Number(reply.headers['content-length'])).toBe(reply.body.length);
    expect(reply.headers['accept-ranges']).toBeUndefined();
    expect(reply.headers.vary).toBe('Accept-Encoding');
    expect(reply.headers.etag).toBe('W/"v1"');
    expect(zlib.brotliDecompressSync(reply.body).toString()).toBe(PAGE);
    expect(reply.body.length).toBeLessThan(PAGE.length / 5);
  });

  it('streams a large page through the compressor, without a length', async () => {
    const reply = await fetchRaw('/big-page', { 'accept-encoding': 'gzip' });
    expect(reply.headers['content-encoding']).toBe('gzip');
    expect(reply.headers['content-length']).toBeUndefined();
    expect(reply.headers['transfer-encoding']).toBe('chunked');
    expect(zlib.gunzipSync(reply.body).toString()).toBe(BIG_PAGE);
  });

  it('uses gzip when the client does not take brotli', async () => {
    const reply = await fetchRaw('/page', { 'accept-encoding': 'gzip' });
    expect(reply.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(reply.body).toString()).toBe(PAGE);
  });

  it('compresses a chunked body of unknown length', async () => {
    const reply = await fetchRaw('/chunked-json', { 'accept-encoding': 'gzip' });
    expect(reply.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(reply.body).toString().split('\n')).toHaveLength(51);
  });

  it('sends identity with Vary when the client accepts no compression', async () => {
    const reply = await fetchRaw('/page', {});
    expect(reply.headers['content-encoding']).toBeUndefined();
    expect(reply.headers['content-length']).toBe(String(Buffer.byteLength(PAGE)));
    expect(reply.headers.vary).toBe('Accept-Encoding');
    expect(reply.headers.etag).toBe('"v1"');
    expect(reply.body.toString()).toBe(PAGE);
  });

  it('leaves types outside the list alone', async () => {
    const reply = await fetchRaw('/png', { 'accept-encoding': 'br, gzip' });
    expect(reply.headers['content-encoding']).toBeUndefined();
    expect(reply.headers.vary).toBeUndefined();
    expect(reply.body.toString()).toBe(PAGE);
  });

  it('leaves bodies below minBytes alone', async () => {
    const reply = await fetchRaw('/small', { 'accept-encoding': 'br, gzip' });
    expect(reply.headers['content-encoding']).toBeUndefined();
    expect(reply.body.toString()).toBe('small');
  });

  it('never compresses an event stream, which keeps arriving as it is written', async () => {
    let firstSeen = '';
    // Were the first event held back in a compressor, this would never resolve: the backend ends the
    // stream only once the client has received it.
    const reply = await fetchRaw('/events', { 'accept-encoding': 'br, gzip' }, 'GET', (chunk) => {
      firstSeen = chunk.toString();
      endEventStream();
    });
    expect(firstSeen.startsWith('data: first\n\n')).toBe(true);
    expect(reply.headers['content-encoding']).toBeUndefined();
    expect(reply.body.toString()).toMatch(/^data: first\n\n[\s\S]*data: last\n\n$/);
  });

  it('never compresses range requests, whether the backend answers 206 or 200', async () => {
    const partial = await fetchRaw('/range', { 'accept-encoding': 'br, gzip', range: 'bytes=0-1999' });
    expect(partial.status).toBe(206);
    expect(partial.headers['content-encoding']).toBeUndefined();
    expect(partial.body.toString()).toBe(PAGE.slice(0, 2000));
    const whole = await fetchRaw('/page', { 'accept-encoding': 'br, gzip', range: 'bytes=0-1999' });
    expect(whole.headers['content-encoding']).toBeUndefined();
  });

  it('passes an already compressed body through untouched', async () => {
    const reply = await fetchRaw('/already-gzip', { 'accept-encoding': 'br, gzip' });
    expect(reply.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(reply.body).toString()).toBe(PAGE);
  });

  it('respects Cache-Control: no-transform', async () => {
    const reply = await fetchRaw('/no-transform', { 'accept-encoding': 'br, gzip' });
    expect(reply.headers['content-encoding']).toBeUndefined();
    expect(reply.body.toString()).toBe(PAGE);
  });

  it('does not compress HEAD, 204 or 304', async () => {
    const head = await fetchRaw('/page', { 'accept-encoding': 'br, gzip' }, 'HEAD');
    expect(head.headers['content-encoding']).toBeUndefined();
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(PAGE)));
    const noContent = await fetchRaw('/no-content', { 'accept-encoding': 'br, gzip' });
    expect(noContent.status).toBe(204);
    expect(noContent.headers['content-encoding']).toBeUndefined();
    const notModified = await fetchRaw('/not-modified', { 'accept-encoding': 'br, gzip' });
    expect(notModified.status).toBe(304);
    expect(notModified.headers['content-encoding']).toBeUndefined();
    expect(notModified.body.length).toBe(0);
  });

  it('does nothing when the cluster has compression off', async () => {
    configFor = () => ({ ...enabled, enabled: false });
    try {
      const reply = await fetchRaw('/page', { 'accept-encoding': 'br, gzip' });
      expect(reply.headers['content-encoding']).toBeUndefined();
      expect(reply.headers.vary).toBeUndefined();
      expect(reply.body.toString()).toBe(PAGE);
    } finally {
      configFor = () => enabled;
    }
  });

  it("keeps the gateway's cookie next to the backend's and drops hop-by-hop headers", async () => {
    const reply = await fetchRaw('/cookie', { 'accept-encoding': 'gzip' });
    expect(reply.headers['set-cookie']).toEqual(['SWB=abc; HttpOnly; Path=/', 'app=1; Path=/', 'theme=dark; Path=/']);
    expect(reply.headers['x-secret']).toBeUndefined();
    expect(reply.headers['content-encoding']).toBe('gzip');
  });

  it('cuts the client response off, and reports it, when the backend dies mid-body', async () => {
    responseErrors.length = 0;
    const reply = await fetchRaw('/dies', { 'accept-encoding': 'gzip' });
    expect(reply.aborted).toBe(true);
    expect(responseErrors.length).toBeGreaterThan(0);
    // The forwarder is still serving.
    expect((await fetchRaw('/small')).body.toString()).toBe('small');
  });

  it('closes the connection, and reports it, when the backend dies in a page compressed whole', async () => {
    responseErrors.length = 0;
    // Nothing was sent yet: the client sees its connection closed instead of an answer.
    await expect(fetchRaw('/dies-small', { 'accept-encoding': 'gzip' })).rejects.toThrow(/socket hang up/);
    expect(responseErrors.length).toBeGreaterThan(0);
    expect((await fetchRaw('/small')).body.toString()).toBe('small');
  });
});

describe('a client that leaves mid-body', () => {
  it('releases the backend response and the compressor', async () => {
    const backendReleased = new Promise<void>((resolve) => (endlessClosed = resolve));
    await new Promise<void>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/endless', headers: { 'accept-encoding': 'gzip' }, agent: false }, (res) => {
        expect(res.headers['content-encoding']).toBe('gzip');
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (error) => (error.message.includes('aborted') || error.message.includes('hang up') ? undefined : reject(error)));
    });
    // Resolves only when the backend saw its response closed: the forwarder let go of it.
    await backendReleased;
    expect((await fetchRaw('/small')).body.toString()).toBe('small');
  });
});

describe('chooseEncoding', () => {
  it('prefers br, honours q-values and refusals', () => {
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('gzip;q=1, br;q=0.5')).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip')).toBe('gzip');
    expect(chooseEncoding('*')).toBe('br');
    expect(chooseEncoding('*;q=0')).toBeNull();
    expect(chooseEncoding('identity')).toBeNull();
    expect(chooseEncoding('deflate')).toBeNull();
    expect(chooseEncoding(undefined)).toBeNull();
    expect(chooseEncoding('GZIP')).toBe('gzip');
  });
});
