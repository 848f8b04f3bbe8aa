/**
 * What the client gets when a request could not be forwarded, and what the server's health and
 * counters make of it: the client's own stall, the keep-alive race, a full pool, or the server's
 * fault, which a bodiless request survives by going once to another server.
 */
import type http from 'node:http';
import type { TrafficContext } from '../runtime/traffic-context.js';
import type { ClusterRuntime } from '../runtime/cluster-runtime.js';
import type { Binding } from '../sessions/session-binder.js';
import { bodyIsChunked } from '../requests/request-framing.js';
import { sendGatewayError } from './error-pages.js';
import type { ForwardFailure } from './forward-request.js';

export interface FailedAttempt {
  client: string;
  secure: boolean;
  /** This attempt was already the retry on another server. */
  retried: boolean;
  timeoutSec: number;
}

/** `retry` forwards the request again to the binding the session moved to. */
export function answerFailedForward(
  context: TrafficContext,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  cluster: ClusterRuntime,
  binding: Binding,
  attempt: FailedAttempt,
  failure: ForwardFailure,
  retry: (next: Binding) => void,
): void {
  const { server } = binding;
  if (failure.clientStalled) {
    // The rest of the body may still come: this connection cannot carry another request.
    res.shouldKeepAlive = false;
    sendGatewayError(res, 408, `The request body stopped arriving for ${cluster.config.clientBodyIdleTimeoutSec} s, so the request was abandoned. Please send it again.`);
    return;
  }
  if (failure.staleConnection) {
    // The keep-alive race, no fault of the server's: the request could not go again, its body being
    // too large to keep or its connection the one that carries the client's Windows sign-in.
    server.stats.countGatewayError(502, Date.now());
    sendGatewayError(res, 502, failure.connectionBound
      ? 'The server closed the connection that carries your Windows sign-in just as this request was sent. Please send it again.'
      : 'The server closed its connection just as this request was sent, and the request body was too large to send again. Please send it again.');
    return;
  }
  server.stats.errors++;
  if (failure.connectionsBusy) {
    // A full pool is load, not ill health: the server stays online and keeps its sessions.
    server.stats.countGatewayError(503, Date.now());
    sendGatewayError(res, 503, failure.connectionBound
      ? `The connection that carries your Windows sign-in to server "${server.config.name}" stayed busy with an earlier request for ${cluster.config.backendConnectionWaitSec} s. Please try again in a moment.`
      : `All ${server.connections.limit} connections to server "${server.config.name}" are busy. Please try again in a moment.`);
    return;
  }
  context.passiveFailure(server, failure.error.message);
  if (failure.connectFailed && !attempt.retried && !res.headersSent && hasNoBody(req)) {
    const next = context.binder.moveElsewhere(cluster, binding, attempt.client, attempt.secure, Date.now());
    if (next) {
      retry(next);
      return;
    }
  }
  server.stats.countGatewayError(failure.timedOut ? 504 : 502, Date.now());
  if (failure.timedOut) sendGatewayError(res, 504, `The server behind this address took longer than ${attempt.timeoutSec} s to answer.`);
  else sendGatewayError(res, 502, 'The server behind this address could not be reached or broke off its answer.');
}

function hasNoBody(req: http.IncomingMessage): boolean {
  const length = req.headers['content-length'];
  // An HTTP/2 body may come without a length, and was read into the failed attempt.
  return (length === undefined || length === '0') && !bodyIsChunked(req);
}
