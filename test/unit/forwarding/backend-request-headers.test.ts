import { describe, expect, it } from 'vitest';
import http from 'node:http';
import { backendRequestHeaders as headerList, headerObject, type ForwardingFacts } from '../../../proxy/forwarding/backend-request-headers.js';

/** The list the forwarder hands to http.request, read as an object. */
const backendRequestHeaders = (incoming: http.IncomingHttpHeaders, facts: ForwardingFacts) => headerObject(headerList(incoming, facts));

const facts: ForwardingFacts = {
  peer: '203.0.113.7',
  client: '203.0.113.7',
  trusted: false,
  secure: false,
  host: 'portal.test',
  backendHost: 'portal.test',
  chunked: false,
  upgrade: false,
  method: 'GET',
};

describe('the headers a backend receives', () => {
  it('drops hop-by-hop headers and the ones Connection names, and keeps the rest', () => {
    const out = backendRequestHeaders(
      {
        host: 'portal.test',
        connection: 'keep-alive, X-Secret, TE',
        'keep-alive': 'timeout=5',
        te: 'trailers',
        trailer: 'x-t',
        upgrade: 'h2c',
        'http2-settings': 'AAA',
        'proxy-connection': 'keep-alive',
        expect: '100-continue',
        'transfer-encoding': 'chunked',
        'x-secret': 'hidden',
        accept: 'text/html',
        authorization: 'Basic eA==',
      },
      facts,
    );
    expect(out).toEqual({
      host: 'portal.test',
      accept: 'text/html',
      authorization: 'Basic eA==',
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'portal.test',
      'x-real-ip': '203.0.113.7',
    });
  });

  it('never lets Connection remove Host, Content-Length, Cookie or the forwarding headers', () => {
    const out = backendRequestHeaders(
      {
        host: 'portal.test',
        'content-length': '5',
        cookie: 'sid=1',
        connection: 'Host, Content-Length, Transfer-Encoding, Cookie, X-Forwarded-For, X-Forwarded-Host, Forwarded, X-Real-IP',
      },
      facts,
    );
    expect(out).toMatchObject({ host: 'portal.test', 'content-length': '5', cookie: 'sid=1', 'x-forwarded-for': '203.0.113.7', 'x-forwarded-host': 'portal.test', 'x-real-ip': '203.0.113.7' });
    const trusted = backendRequestHeaders({ host: 'portal.test', forwarded: 'for=10.0.0.1', 'x-forwarded-for': '10.0.0.1', connection: 'Forwarded, X-Forwarded-For' }, { ...facts, trusted: true });
    expect(trusted).toMatchObject({ forwarded: 'for=10.0.0.1', 'x-forwarded-for': '10.0.0.1, 203.0.113.7' });
  });

  it('drops header names with an underscore, X-Original-URL and X-Rewrite-URL', () => {
    const out = backendRequestHeaders(
      { host: 'portal.test', content_length: '5', 'transfer_encoding': 'chunked', 'x_forwarded_for': '1.2.3.4', 'x-original-url': '/internal', 'x-rewrite-url': '/internal', 'x-app-id': '7' },
      { ...facts, trusted: true },
    );
    expect(Object.keys(out).sort()).toEqual(['host', 'x-app-id', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip']);
  });

  it('replaces forwarding headers from an untrusted peer with its own', () => {
    const spoofed = {
      host: 'portal.test',
      'x-forwarded-for': '1.2.3.4',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'evil.test',
      'x-forwarded-port': '443',
      'x-forwarded-prefix': '/admin',
      forwarded: 'for=1.2.3.4;proto=https',
      'x-real-ip': '1.2.3.4',
    };
    expect(backendRequestHeaders(spoofed, facts)).toEqual({
      host: 'portal.test',
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'portal.test',
      'x-real-ip': '203.0.113.7',
    });
  });

  it('keeps and extends forwarding headers from a trusted proxy', () => {
    const fromProxy = {
      host: 'portal.test',
      'x-forwarded-for': '198.51.100.9',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'www.portal.test',
      'x-forwarded-port': '443',
      forwarded: 'for=198.51.100.9;proto=https',
      'x-real-ip': '198.51.100.9',
    };
    expect(backendRequestHeaders(fromProxy, { ...facts, peer: '10.0.0.10', client: '198.51.100.9', trusted: true })).toEqual({
      ...fromProxy,
      'x-forwarded-for': '198.51.100.9, 10.0.0.10',
    });
    expect(backendRequestHeaders({ host: 'portal.test' }, { ...facts, peer: '10.0.0.10', client: '10.0.0.10', trusted: true, secure: true })).toMatchObject({
      'x-forwarded-for': '10.0.0.10',
      'x-forwarded-proto': 'https',
      'x-real-ip': '10.0.0.10',
    });
  });

  it('sets Host, chunked framing and the WebSocket upgrade after everything else', () => {
    const out = backendRequestHeaders(
      { ':authority': 'portal.test', ':path': '/', 'transfer-encoding': 'gzip', connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-key': 'k' },
      { ...facts, backendHost: 'app01.corp.local', chunked: true, upgrade: true },
    );
    expect(out).toMatchObject({ host: 'app01.corp.local', 'transfer-encoding': 'chunked', connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-key': 'k' });
    expect(Object.keys(out).some((name) => name.startsWith(':'))).toBe(false);
  });

  it('gives a bodiless request of a method that usually has a body Content-Length: 0, as Node would have', () => {
    expect(backendRequestHeaders({ host: 'portal.test' }, { ...facts, method: 'POST' })).toMatchObject({ 'content-length': '0' });
    expect(backendRequestHeaders({ host: 'portal.test' }, facts)['content-length']).toBeUndefined();
    expect(backendRequestHeaders({ host: 'portal.test', 'content-length': '5' }, { ...facts, method: 'POST' })['content-length']).toBe('5');
    expect(backendRequestHeaders({ host: 'portal.test' }, { ...facts, method: 'POST', chunked: true })['content-length']).toBeUndefined();
  });

  it('passes a header the client sent twice as two lines, each checked by Node as it is written', () => {
    const list = headerList({ host: 'portal.test', 'set-cookie': ['a=1', 'b=2'] }, facts);
    const lines = list.flatMap((name, i) => (i % 2 === 0 && name === 'set-cookie' ? [list[i + 1]] : []));
    expect(lines).toEqual(['a=1', 'b=2']);
  });
});
