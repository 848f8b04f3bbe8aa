/** checkRequestFraming and bodyIsChunked on request heads as Node's parser hands them over. */
import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { RefusedRequest } from '../../../proxy/requests/refused-request.js';
import { bodyIsChunked, checkRequestFraming } from '../../../proxy/requests/request-framing.js';

function head(headers: http.IncomingHttpHeaders, version = '1.1', stream?: { endAfterHeaders: boolean }): http.IncomingMessage {
  const [major, minor] = version.split('.').map(Number);
  return { headers, httpVersionMajor: major, httpVersionMinor: minor ?? 0, ...(stream ? { stream } : {}) } as unknown as http.IncomingMessage;
}

function refusal(req: http.IncomingMessage): RefusedRequest | null {
  try {
    checkRequestFraming(req);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(RefusedRequest);
    return error as RefusedRequest;
  }
}

describe('checkRequestFraming', () => {
  it('lets plain lengths and chunked bodies through', () => {
    expect(refusal(head({}))).toBeNull();
    expect(refusal(head({ 'content-length': '0' }))).toBeNull();
    expect(refusal(head({ 'content-length': '1048576' }))).toBeNull();
    expect(refusal(head({ 'transfer-encoding': 'chunked' }))).toBeNull();
    expect(refusal(head({ 'transfer-encoding': 'Chunked' }))).toBeNull();
  });

  it('refuses Transfer-Encoding on HTTP/1.0 and any coding but chunked, closing the connection', () => {
    for (const req of [head({ 'transfer-encoding': 'chunked' }, '1.0'), head({ 'transfer-encoding': 'gzip, chunked' }), head({ 'transfer-encoding': 'chunked ' })]) {
      const refused = refusal(req);
      expect(refused?.status).toBe(400);
      expect(refused?.closeConnection).toBe(true);
    }
  });

  it('refuses a Content-Length that is not a plain number', () => {
    for (const value of ['', '+5', '5 ', '0x10', '1e3', '12345678901234567']) {
      expect([value, refusal(head({ 'content-length': value }, '2.0'))?.status]).toEqual([value, 400]);
    }
  });
});

describe('bodyIsChunked', () => {
  it('chunks an HTTP/1 body only when the client sent it chunked', () => {
    expect(bodyIsChunked(head({ 'transfer-encoding': 'chunked' }))).toBe(true);
    expect(bodyIsChunked(head({ 'content-length': '5' }))).toBe(false);
    expect(bodyIsChunked(head({}))).toBe(false);
  });

  it('chunks an HTTP/2 body without Content-Length, unless the stream ended with its headers', () => {
    expect(bodyIsChunked(head({}, '2.0', { endAfterHeaders: false }))).toBe(true);
    expect(bodyIsChunked(head({}, '2.0', { endAfterHeaders: true }))).toBe(false);
    expect(bodyIsChunked(head({ 'content-length': '5' }, '2.0', { endAfterHeaders: false }))).toBe(false);
  });
});
