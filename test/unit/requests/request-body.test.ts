/** RequestBody (what is kept for a retry, when a client counts as stalled) and announcesBody. */
import { EventEmitter } from 'node:events';
import type http from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { announcesBody, RequestBody } from '../../../proxy/requests/request-body.js';

function upload(): http.IncomingMessage & EventEmitter {
  return Object.assign(new EventEmitter(), { readableEnded: false }) as unknown as http.IncomingMessage & EventEmitter;
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('RequestBody', () => {
  it('keeps a small body for a retry, and gives up keeping one beyond 64 KiB', () => {
    const req = upload();
    const body = new RequestBody(req, 1000, () => {});
    req.emit('data', Buffer.alloc(40 * 1024));
    req.emit('data', Buffer.alloc(24 * 1024));
    expect(body.replayable).toBe(true);
    expect(Buffer.concat(body.chunks).length).toBe(64 * 1024);
    req.emit('data', Buffer.alloc(1));
    expect(body.replayable).toBe(false);
    expect(body.chunks).toEqual([]);
    req.emit('data', Buffer.alloc(10));
    expect(body.chunks).toEqual([]);
    body.stop();
  });

  it('calls a client stalled when no byte came for the idle time, each byte starting the wait again', () => {
    const req = upload();
    const onIdle = vi.fn();
    new RequestBody(req, 1000, onIdle);
    vi.advanceTimersByTime(900);
    req.emit('data', Buffer.from('x'));
    vi.advanceTimersByTime(900);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(100);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('stops waiting once the body is in or the request is gone', () => {
    for (const event of ['end', 'close']) {
      const req = upload();
      const onIdle = vi.fn();
      new RequestBody(req, 1000, onIdle);
      req.emit(event);
      vi.advanceTimersByTime(5000);
      expect([event, onIdle.mock.calls.length]).toEqual([event, 0]);
    }
  });
});

describe('announcesBody', () => {
  const head = (headers: http.IncomingHttpHeaders, httpVersionMajor = 1, complete = false) => ({ headers, httpVersionMajor, complete }) as unknown as http.IncomingMessage;

  it('sees a body in a length above 0, in any Transfer-Encoding, and in an HTTP/2 stream still open', () => {
    expect(announcesBody(head({ 'content-length': '12' }))).toBe(true);
    expect(announcesBody(head({ 'transfer-encoding': 'chunked' }))).toBe(true);
    expect(announcesBody(head({}, 2, false))).toBe(true);
  });

  it('sees none in a zero length, a bare HTTP/1 request or a finished HTTP/2 stream', () => {
    expect(announcesBody(head({ 'content-length': '0' }))).toBe(false);
    expect(announcesBody(head({}))).toBe(false);
    expect(announcesBody(head({}, 2, true))).toBe(false);
  });
});
