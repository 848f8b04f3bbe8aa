import { describe, expect, it } from 'vitest';
import { parseHead } from '../../../proxy/forwarding/rpc-request-head.js';

describe('RPC over HTTP request heads', () => {
  it('reads a well-formed head into lower-cased headers', () => {
    const head = parseHead('RPC_IN_DATA /rpc/rpcproxy.dll?mbx:6001 HTTP/1.1\r\nHost: mail.corp.local\r\nContent-Length: 1073741824\r\nCookie: a=1\r\ncookie: b=2');
    expect(head).toMatchObject({
      method: 'RPC_IN_DATA',
      url: '/rpc/rpcproxy.dll?mbx:6001',
      minorVersion: 1,
      contentLength: 1073741824,
      headers: { host: 'mail.corp.local', 'content-length': '1073741824', cookie: 'a=1; b=2' },
    });
  });

  it.each([
    ['another method', 'GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0'],
    ['HTTP/2 in the request line', 'RPC_IN_DATA / HTTP/2.0\r\nHost: a\r\nContent-Length: 0'],
    ['an absolute target', 'RPC_IN_DATA http://a/ HTTP/1.1\r\nHost: a\r\nContent-Length: 0'],
    ['no Content-Length', 'RPC_IN_DATA / HTTP/1.1\r\nHost: a'],
    ['two Content-Lengths', 'RPC_IN_DATA / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1'],
    ['a signed Content-Length', 'RPC_IN_DATA / HTTP/1.1\r\nHost: a\r\nContent-Length: +1'],
    ['Transfer-Encoding', 'RPC_IN_DATA / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked'],
    ['a folded header', 'RPC_IN_DATA / HTTP/1.1\r\nHost: a\r\n\tContent-Length: 1'],
    ['a space before the colon', 'RPC_IN_DATA / HTTP/1.1\r\nHost: a\r\nContent-Length : 1'],
    ['a bare line feed', 'RPC_IN_DATA / HTTP/1.1\r\nHost: a\nContent-Length: 1'],
    ['a control character in a value', 'RPC_IN_DATA / HTTP/1.1\r\nHost: a\u0000b\r\nContent-Length: 1'],
    ['no Host on HTTP/1.1', 'RPC_IN_DATA / HTTP/1.1\r\nContent-Length: 1'],
    ['two Hosts', 'RPC_IN_DATA / HTTP/1.1\r\nHost: a\r\nHost: b\r\nContent-Length: 1'],
  ])('refuses %s', (_, text) => {
    expect(typeof parseHead(text)).toBe('string');
  });
});
