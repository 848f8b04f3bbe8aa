/**
 * A plain-HTTP listener with `redirectToHttps` sends every request to the same host and path on the
 * HTTPS port with a 308, which keeps the method and body (unlike 301/302).
 */
import type http from 'node:http';

/** A host name, IPv4 address or bracketed IPv6 address, optionally with a port. */
const HOST_HEADER = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;

function httpsRedirectLocation(hostHeader: string | undefined, url: string | undefined, httpsPort: number): string | null {
  if (!hostHeader) return null;
  const match = HOST_HEADER.exec(hostHeader.trim());
  if (!match) return null;
  const host = match[1]!;
  const path = url && url.startsWith('/') ? url : '/';
  return `https://${host}${httpsPort === 443 ? '' : `:${httpsPort}`}${path}`;
}

export function createHttpsRedirectHandler(httpsPort: number): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  return (req, res) => {
    const location = httpsRedirectLocation(req.headers.host, req.url, httpsPort);
    if (location === null) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('This address only answers over HTTPS, and the request had no usable Host header.\n');
      return;
    }
    res.writeHead(308, { location, 'content-type': 'text/plain; charset=utf-8', 'content-length': '0' });
    res.end();
  };
}
