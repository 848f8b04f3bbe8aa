/**
 * Pauses the backend while the client is not taking its answer, and gives up on a client that takes
 * none of it for too long: undici does not time out a paused answer, so without this one client that
 * stops reading would hold a backend connection (and keep its server draining) for ever. It also
 * holds an answer back on the exchange's behalf (see `BackendExchange.holdUntilBodyWritten`).
 */
import type http from 'node:http';
import type { Dispatcher } from 'undici';

/** What pauses and resumes the backend's answer, as `BackendResponseStream` uses it. */
export type BackendFlow = Pick<Dispatcher.DispatchController, 'pause' | 'resume' | 'abort'>;

export class ClientReadWatch implements BackendFlow {
  private timer: NodeJS.Timeout | undefined;
  /** The backend stays paused whatever the client takes, until `release`. */
  private held = false;

  constructor(
    private readonly controller: Dispatcher.DispatchController,
    private readonly res: http.ServerResponse,
    /** How long the client may take none of the answer: the same time the backend may stay silent. */
    private readonly limitMs: number,
  ) {}

  pause(): void {
    this.controller.pause();
    // Closing the client's response ends the exchange as if the client had left: no fault of the backend.
    this.timer ??= setTimeout(() => this.res.destroy(), this.limitMs);
  }

  resume(): void {
    this.stop();
    if (!this.held) this.controller.resume();
  }

  /** Keeps the backend paused, whether or not the client is behind, until `release`. */
  hold(): void {
    this.held = true;
    this.controller.pause();
  }

  release(): void {
    this.held = false;
    // A client still behind resumes the backend itself once it catches up.
    if (!this.timer) this.controller.resume();
  }

  abort(reason: Error): void {
    this.stop();
    this.controller.abort(reason);
  }

  /** The answer ended: nothing left to watch. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
