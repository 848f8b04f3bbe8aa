/**
 * Closes an HTTP/2 client session that has had no open stream for a while, as Node closes an idle
 * HTTP/1.1 keep-alive connection. Node's HTTP/2 server has no such limit of its own, so an idle
 * session would otherwise stay open for ever, holding its socket and any backend connection
 * pinned to it (which keeps a draining server from ever being drained).
 */
import type http2 from 'node:http2';

export function closeIdleHttp2Sessions(server: http2.Http2SecureServer, idleMs: number): void {
  server.on('session', (session: http2.ServerHttp2Session) => {
    let openStreams = 0;
    let timer: NodeJS.Timeout | undefined;
    const startIdleTimer = (): void => {
      // close(), not destroy(): a GOAWAY tells the client to open a new connection for its next request.
      timer = setTimeout(() => session.close(), idleMs);
    };
    startIdleTimer();
    session.on('stream', (stream: http2.ServerHttp2Stream) => {
      openStreams++;
      clearTimeout(timer);
      stream.once('close', () => {
        openStreams--;
        if (openStreams === 0 && !session.closed && !session.destroyed) startIdleTimer();
      });
    });
    session.once('close', () => clearTimeout(timer));
  });
}
