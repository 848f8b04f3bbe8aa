/**
 * Pipelined requests on one HTTP/1.1 connection: at most a few are forwarded at once, the rest
 * wait their turn, and the connection is not read further while answers are owed. When the client
 * leaves, every request still owed an answer is ended, so none stays counted in flight.
 *
 * Node's HTTP server parses every request in what it has read and queues their responses; those
 * that never reached the socket never emit `close`. This module gives them one.
 */
import type http from 'node:http';
import type { Socket } from 'node:net';

/** Requests of one connection forwarded at the same time. */
export const MAX_FORWARDED_PER_CONNECTION = 8;
/** Requests of one connection parsed but still waiting; a client that sends more than this without reading is cut off. */
export const MAX_WAITING_PER_CONNECTION = 512;

const PIPELINE = Symbol('switchboard.pipeline');

interface Pipeline {
  /** Responses begun and not yet closed. */
  readonly open: Set<http.ServerResponse>;
  readonly waiting: (() => void)[];
  paused: boolean;
}

type PipelinedSocket = Socket & { [PIPELINE]?: Pipeline };

/** Runs `start` now or when the connection's earlier requests have made room. */
export function whenConnectionAllows(req: http.IncomingMessage, res: http.ServerResponse, start: () => void): void {
  // HTTP/2 streams are independent, and their flow control is HTTP/2's own.
  if (req.httpVersionMajor !== 1) return start();
  const socket = req.socket as PipelinedSocket;
  let pipeline = socket[PIPELINE];
  if (!pipeline) {
    pipeline = { open: new Set(), waiting: [], paused: false };
    socket[PIPELINE] = pipeline;
    const owned = pipeline;
    socket.once('close', () => endAll(owned));
  }
  if (pipeline.open.size < MAX_FORWARDED_PER_CONNECTION && pipeline.waiting.length === 0) {
    begin(pipeline, socket, res);
    return start();
  }
  if (pipeline.waiting.length >= MAX_WAITING_PER_CONNECTION) {
    socket.destroy();
    return;
  }
  const own = pipeline;
  own.waiting.push(() => {
    begin(own, socket, res);
    start();
  });
  // Again on every request that has to wait: Node resumes the socket itself when its writes drain.
  own.paused = true;
  socket.pause();
}

/** The response counts as forwarded until it closes, which makes room for the next one waiting. */
function begin(pipeline: Pipeline, socket: Socket, res: http.ServerResponse): void {
  pipeline.open.add(res);
  res.once('close', () => {
    pipeline.open.delete(res);
    next(pipeline, socket);
  });
}

function next(pipeline: Pipeline, socket: Socket): void {
  if (socket.destroyed) return;
  while (pipeline.open.size < MAX_FORWARDED_PER_CONNECTION && pipeline.waiting.length > 0) pipeline.waiting.shift()!();
  if (pipeline.paused && pipeline.waiting.length === 0) {
    pipeline.paused = false;
    // Unless Node's HTTP server paused it too, for answers the client is not reading fast enough.
    if (!(socket as Socket & { _paused?: boolean })._paused) socket.resume();
  }
}

/** The client has gone: nothing waiting starts, and every begun response is ended as closed. */
function endAll(pipeline: Pipeline): void {
  pipeline.waiting.length = 0;
  for (const res of [...pipeline.open]) {
    // A response that has the socket is closed by Node itself.
    if (res.socket) continue;
    // Never given the socket, so Node would never close it: its listeners (in-flight count, backend request) run now.
    res.destroy();
    res.emit('close');
  }
  pipeline.open.clear();
}
