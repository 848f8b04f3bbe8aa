/** whenConnectionAllows: how many pipelined requests of one connection run at once, and what happens when the client leaves. */
import { EventEmitter } from 'node:events';
import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { MAX_FORWARDED_PER_CONNECTION, MAX_WAITING_PER_CONNECTION, whenConnectionAllows } from '../../../proxy/requests/pipelined-requests.js';

/** The parts of a socket the pipeline uses, recording what was done to it. */
class FakeSocket extends EventEmitter {
  destroyed = false;
  _paused = false;
  readonly calls: string[] = [];
  pause(): void {
    this.calls.push('pause');
  }
  resume(): void {
    this.calls.push('resume');
  }
  destroy(): void {
    this.destroyed = true;
    this.calls.push('destroy');
  }
}

class FakeResponse extends EventEmitter {
  destroyed = false;
  constructor(public socket: FakeSocket | null) {
    super();
  }
  destroy(): void {
    this.destroyed = true;
  }
}

function connection(httpVersionMajor = 1) {
  const socket = new FakeSocket();
  const started: number[] = [];
  const responses: FakeResponse[] = [];
  const send = (count: number, { answered = true } = {}): void => {
    for (let i = 0; i < count; i++) {
      const n = responses.length;
      const res = new FakeResponse(answered ? socket : null);
      responses.push(res);
      const req = { httpVersionMajor, socket } as unknown as http.IncomingMessage;
      whenConnectionAllows(req, res as unknown as http.ServerResponse, () => started.push(n));
    }
  };
  return { socket, started, responses, send };
}

describe('whenConnectionAllows', () => {
  it(`forwards ${MAX_FORWARDED_PER_CONNECTION} requests at once and holds the rest, pausing the connection`, () => {
    const { socket, started, send } = connection();
    send(MAX_FORWARDED_PER_CONNECTION);
    expect(started).toHaveLength(MAX_FORWARDED_PER_CONNECTION);
    expect(socket.calls).toEqual([]);
    send(2);
    expect(started).toHaveLength(MAX_FORWARDED_PER_CONNECTION);
    expect(socket.calls).toEqual(['pause', 'pause']);
  });

  it('starts a waiting request, in order, when an earlier one closes, and resumes reading once none waits', () => {
    const { socket, started, responses, send } = connection();
    send(MAX_FORWARDED_PER_CONNECTION + 2);
    responses[0]!.emit('close');
    expect(started.at(-1)).toBe(MAX_FORWARDED_PER_CONNECTION);
    expect(socket.calls).not.toContain('resume');
    responses[1]!.emit('close');
    expect(started.slice(-2)).toEqual([MAX_FORWARDED_PER_CONNECTION, MAX_FORWARDED_PER_CONNECTION + 1]);
    expect(socket.calls.at(-1)).toBe('resume');
  });

  it("leaves the connection paused when Node's own HTTP server paused it too", () => {
    const { socket, responses, send } = connection();
    send(MAX_FORWARDED_PER_CONNECTION + 1);
    socket._paused = true;
    responses[0]!.emit('close');
    expect(socket.calls).not.toContain('resume');
  });

  it('lets HTTP/2 streams through without counting them', () => {
    const { socket, started, send } = connection(2);
    send(MAX_FORWARDED_PER_CONNECTION * 3);
    expect(started).toHaveLength(MAX_FORWARDED_PER_CONNECTION * 3);
    expect(socket.calls).toEqual([]);
  });

  it(`cuts off a client that has more than ${MAX_WAITING_PER_CONNECTION} requests waiting`, () => {
    const { socket, send } = connection();
    send(MAX_FORWARDED_PER_CONNECTION + MAX_WAITING_PER_CONNECTION);
    expect(socket.destroyed).toBe(false);
    send(1);
    expect(socket.destroyed).toBe(true);
  });

  it('when the client leaves, starts nothing more and closes the responses that never got the socket', () => {
    const { socket, started, responses, send } = connection();
    send(1);
    send(MAX_FORWARDED_PER_CONNECTION - 1, { answered: false });
    send(3);
    const closed: number[] = [];
    responses.forEach((res, n) => res.on('close', () => closed.push(n)));
    socket.emit('close');
    // The first response has the socket: Node closes it. The other seven never would, so the pipeline does.
    expect(responses[0]!.destroyed).toBe(false);
    expect(responses.slice(1, MAX_FORWARDED_PER_CONNECTION).every((res) => res.destroyed)).toBe(true);
    expect(closed).toEqual(Array.from({ length: MAX_FORWARDED_PER_CONNECTION - 1 }, (_, i) => i + 1));
    expect(started).toHaveLength(MAX_FORWARDED_PER_CONNECTION);
  });
});
