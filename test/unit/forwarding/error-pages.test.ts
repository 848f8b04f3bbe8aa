/** The gateway's own error answers, on a response or on a raw socket, against real loopback connections. */
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sendGatewayError, sendSocketError } from '../../../proxy/forwarding/error-pages.js';
import { closeServer, listenOnLoopback } from '../../support/loopback-server.js';

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map(closeServer));
});

/** Sends `request` to a server that hands each connection to `serve`, and returns all it answered until it closed. */
async function exchange(serve: (socket: net.Socket) => void, request = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'): Promise<string> {
  const server = net.createServer(serve);
  servers.push(server);
  const port = await listenOnLoopback(server);
  return new Promise((resolve, reject) => {
    const client = net.connect(port, '127.0.0.1', () => client.write(request));
    let answer = '';
    client.on('data', (chunk) => (answer += chunk.toString()));
    client.on('close', () => resolve(answer));
    client.on('error', reject);
    client.setTimeout(5000, () => reject(new Error(`no close; got: ${answer}`)));
  });
}

describe('sendSocketError', () => {
  it('writes a complete HTTP answer with the status, its title and the explanation, then closes', async () => {
    const answer = await exchange((socket) => sendSocketError(socket, 502, 'The server behind this address could not be reached.'));
    const body = '502 Bad Gateway\n\nThe server behind this address could not be reached.\n';
    expect(answer).toBe(
      `HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });

  it('calls an unknown status plain "Error"', async () => {
    expect(await exchange((socket) => sendSocketError(socket, 418, 'No.'))).toMatch(/^HTTP\/1\.1 418 Error\r\n[\s\S]*\r\n\r\n418 Error\n\nNo\.\n$/);
  });
});

describe('sendGatewayError', () => {
  async function get(handler: http.RequestListener): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string } | 'cut'> {
    const server = http.createServer(handler);
    servers.push(server);
    const port = await listenOnLoopback(server);
    return new Promise((resolve) => {
      http
        .get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
          res.on('error', () => resolve('cut'));
        })
        .on('error', () => resolve('cut'));
    });
  }

  it('answers in plain text that is never cached or sniffed', async () => {
    const answer = await get((_req, res) => sendGatewayError(res, 503, 'Please try again later.'));
    expect(answer).toMatchObject({
      status: 503,
      body: '503 Service Unavailable\n\nPlease try again later.\n',
      headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
    });
  });

  it('cuts the connection when the backend answer had already begun', async () => {
    const answer = await get((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
      sendGatewayError(res, 502, 'too late for a proper answer');
    });
    expect(answer).toBe('cut');
  });
});
