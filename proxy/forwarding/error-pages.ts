/** The gateway's own answers, short and plain, saying why. */
import type http from 'node:http';
import type { Duplex } from 'node:stream';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function sendGatewayError(res: http.ServerResponse, status: number, explanation: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = `${status} ${TITLES[status] ?? 'Error'}\n\n${explanation}\n`;
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

/** An error on a raw socket, before or instead of an HTTP exchange (upgrade refused, malformed request). */
export function sendSocketError(socket: Duplex, status: number, explanation: string): void {
  if (socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = `${status} ${TITLES[status] ?? 'Error'}\n\n${explanation}\n`;
  // Closed once written, not just ended: no server timeout watches a socket handed over like this,
  // so a client that keeps its own side open would otherwise hold it for ever.
  socket.end(
    `HTTP/1.1 ${status} ${TITLES[status] ?? 'Error'}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}
