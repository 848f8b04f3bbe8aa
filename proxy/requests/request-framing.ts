/**
 * How a request's body is delimited, checked before anything is forwarded. Node's parser (llhttp)
 * already refuses the worst cases with 400: Content-Length together with Transfer-Encoding, two
 * Content-Length headers, `chunked` twice, a Transfer-Encoding whose last coding is not `chunked`.
 * What it lets through and a backend could read differently is refused here; what passes is
 * forwarded with framing of its own (see `bodyIsChunked`).
 */
import type http from 'node:http';
import { RefusedRequest } from './refused-request.js';

/** Throws RefusedRequest when the body's length could be read two ways. */
export function checkRequestFraming(req: http.IncomingMessage): void {
  const headers = req.headers;
  const transferEncoding = headers['transfer-encoding'];
  if (transferEncoding !== undefined) {
    if (req.httpVersionMajor === 1 && req.httpVersionMinor === 0) {
      // RFC 9112 §6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing.
      throw new RefusedRequest(400, 'HTTP/1.0 requests may not use Transfer-Encoding.', true);
    }
    if (!isChunked(transferEncoding)) {
      throw new RefusedRequest(400, 'Transfer-Encoding other than "chunked" is not accepted.', true);
    }
  }
  const contentLength = headers['content-length'];
  if (contentLength !== undefined && !isDigits(contentLength)) {
    // Node's HTTP/1 parser checks this itself; an HTTP/2 client's header arrives as sent.
    throw new RefusedRequest(400, 'Content-Length must be a plain number.', true);
  }
}

/**
 * True when the body must go to the backend chunked: the client sent it chunked, or over HTTP/2
 * in DATA frames without a Content-Length. Said explicitly, because Node's `http.request` chunks
 * only methods that usually have a body and would otherwise send a GET's body unframed.
 */
export function bodyIsChunked(req: http.IncomingMessage): boolean {
  const headers = req.headers;
  if (headers['content-length'] !== undefined) return false;
  if (req.httpVersionMajor !== 2) return headers['transfer-encoding'] !== undefined;
  // HEADERS with END_STREAM: no body at all.
  const stream = (req as http.IncomingMessage & { stream?: { endAfterHeaders?: boolean } }).stream;
  return stream?.endAfterHeaders === false;
}

/** `chunked` alone, in any case (transfer codings are case-insensitive, RFC 9112 §7). */
function isChunked(value: string): boolean {
  return value.length === 7 && value.toLowerCase() === 'chunked';
}

function isDigits(value: string): boolean {
  if (value.length === 0 || value.length > 16) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}
