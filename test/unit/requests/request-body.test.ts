/** RequestBody (what is kept for a retry, when a client counts as stalled) and announcesBody. */
import { EventEmitter } from 'node:events';
import type http from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { announcesBody, RequestBody } from '../../../proxy/requests/request-body.js';

/** A client's request as RequestBody sees it: data events, and pause/resume for flow control. */
function upload(): http.IncomingMessage & EventEmitter {
  let paused = false;
  return Object.assign(new EventEmitter(), {
    pause: () => (paused = true),
    resume: () => (paused = false),
    isPaused: () => paused,
  }) as unknown as http.IncomingMessage & EventEmitter;
}

async function bytesOf(reader: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of reader) chunks.push(chunk);
  return Buffer.concat(chunks).toString();
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('RequestBody', () => {
  it('hands the backend the body as it arrives, and a retry the whole body again from its first byte', async () => {
    const req = upload();
    const body = new RequestBody(req, 1000, () => {});
    const first = body.reader()[Symbol.asyncIterator]();
    req.emit('data', Buffer.from('name=Ada'));
    expect((await first.next()).value?.toString()).toBe('name=Ada');
    const waiting = first.next();
    req.emit('data', Buffer.from('&x=1'));
    expect((await waiting).value?.toString()).toBe('&x=1');
    req.emit('end');
    expect((await first.next()).done).toBe(true);
    expect(body.complete).toBe(true);
    expect(body.replayable).toBe(true);
    expect(await bytesOf(body.reader())).toBe('name=Ada&x=1');
  });

  it('keeps a body up to 64 KiB for a retry, and none beyond', () => {
    const req = upload();
    const body = new RequestBody(req, 1000, () => {});
    req.emit('data', Buffer.alloc(40 * 1024));
    req.emit('data', Buffer.alloc(24 * 1024));
    expect(body.replayable).toBe(true);
    req.emit('data', Buffer.alloc(1));
    expect(body.replayable).toBe(false);
    body.discard();
  });

  it('pauses a client that is more than 64 KiB ahead of the backend, and lets it go on as the backend catches up', async () => {
    const req = upload();
    const body = new RequestBody(req, 1000, () => {});
    req.emit('data', Buffer.alloc(40 * 1024));
    expect(req.isPaused()).toBe(false);
    expect(body.backendIsBehind).toBe(true);
    req.emit('data', Buffer.alloc(40 * 1024));
    expect(req.isPaused()).toBe(true);
    const reader = body.reader()[Symbol.asyncIterator]();
    await reader.next();
    await reader.next();
    expect(req.isPaused()).toBe(false);
    expect(body.backendIsBehind).toBe(false);
    body.discard();
  });

  it('ends the reader with an error when the client breaks off its body', async () => {
    const req = upload();
    const body = new RequestBody(req, 1000, () => {});
    const reader = body.reader()[Symbol.asyncIterator]();
    req.emit('close');
    await expect(reader.next()).rejects.toThrow('broke off');
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
