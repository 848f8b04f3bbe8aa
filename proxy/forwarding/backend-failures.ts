/** undici's errors for a request, in the words and codes the rest of the gateway reports. */

export type Failure = Error & { code?: string };

/** Errors undici raises for a request it cannot put on the wire: nothing was sent. */
const INVALID_REQUEST_ERRORS = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED']);
const TIMEOUT_ERRORS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

export function isInvalidRequest(error: Failure): boolean {
  return INVALID_REQUEST_ERRORS.has(error.code ?? '');
}

/** The backend stayed silent for longer than the request may wait (see `requestTimeoutSec`). */
export function isTimeout(error: Failure): boolean {
  return TIMEOUT_ERRORS.has(error.code ?? '');
}

export function describeFailure(error: Failure, timeoutMs: number): Failure {
  if (isTimeout(error)) return Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' });
  if (error.code === 'UND_ERR_SOCKET' && error.message === 'bad upgrade') {
    return new Error('the backend switched protocols on a request that asked for no upgrade');
  }
  // undici says "bad response" to a request under way only for a 100 Continue, which it does not
  // accept although HTTP allows one unasked (the gateway never forwards `Expect`).
  if (error.code === 'UND_ERR_SOCKET' && error.message === 'bad response') {
    return Object.assign(new Error('the backend answered 100 Continue, which the gateway did not ask for and cannot pass on'), { code: 'EBADRESPONSE' });
  }
  return error;
}
