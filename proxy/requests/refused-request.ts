/**
 * A request the gateway will not forward because a backend could read it differently from the
 * gateway, with the status and the short explanation the client gets.
 */
export class RefusedRequest extends Error {
  constructor(
    readonly status: 400 | 501,
    message: string,
    /** The request's body framing is in doubt, so nothing after it on the connection can be trusted. */
    readonly closeConnection = false,
  ) {
    super(message);
  }
}
